using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Engine.Tests.Hosting;

/// <summary>The engine's health check, run by the app's HealthCheckService.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_check_is_healthy_then_fails_on_lag_and_on_a_disabled_proc_and_once_the_store_is_closed()
    {
        using var app = GenericHosts.Build(s =>
        {
            s.AddLogEngine(o => { o.InMemory = true; o.Workers = 0; });
            s.AddHealthChecks().AddLogEngine(o =>
            {
                o.Procs.Add("reader");
                o.MaxLag = 5;
            });
        });
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<ILogClient>();
        var health = app.Services.GetRequiredService<HealthCheckService>();
        await engine.CommitAsync([.. Enumerable.Range(0, 3).Select(i => new CommitLog("in", "x"u8.ToArray()))]);
        await engine.ProcAsync("in", new ProcOptions { Name = "reader", Count = 3 });
        await engine.AckAsync("reader");

        var healthy = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Status);

        await engine.CommitAsync([.. Enumerable.Range(0, 6).Select(i => new CommitLog("in", "x"u8.ToArray()))]);
        var behind = (await health.CheckHealthAsync()).Entries["engine"];
        Assert.Equal(HealthStatus.Unhealthy, behind.Status);
        Assert.Contains("proc reader is 6 records behind (at most 5)", behind.Description, StringComparison.Ordinal);

        await engine.DisableProcAsync("reader");
        var disabled = (await health.CheckHealthAsync()).Entries["engine"];
        Assert.Contains("proc reader is disabled", disabled.Description, StringComparison.Ordinal);

        await app.StopAsync();
        var closed = (await health.CheckHealthAsync()).Entries["engine"];
        Assert.Equal((HealthStatus.Unhealthy, "the store is closed"), (closed.Status, closed.Description));
    }

    [Fact]
    public async Task The_lag_the_check_judges_is_the_engines_own_so_records_before_a_live_procs_start_do_not_count()
    {
        using var app = GenericHosts.Build(s =>
        {
            s.AddLogEngine(o => { o.InMemory = true; o.Workers = 0; });
            s.AddHealthChecks().AddLogEngine(o =>
            {
                o.Procs.Add("late");
                o.MaxLag = 5;
            });
        });
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<ILogClient>();
        var health = app.Services.GetRequiredService<HealthCheckService>();
        await engine.CommitAsync([.. Enumerable.Range(0, 8).Select(i => new CommitLog("in", "x"u8.ToArray()))]);
        await engine.ProcAsync("in", new ProcOptions { Name = "late", Offset = "$>" }); // starts after the 8 records: nothing to read

        var report = (await health.CheckHealthAsync()).Entries["engine"];

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(0L, report.Data["lag:late"]);
        await app.StopAsync();
    }
}
