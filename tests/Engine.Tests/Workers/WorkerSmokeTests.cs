using Engine.Tests.Support;

namespace Engine.Tests.Workers;

public sealed class WorkerSmokeTests
{
    [Fact]
    public async Task A_dll_processor_runs_in_worker_processes_and_its_output_is_committed()
    {
        using var dir = new TempDirectory();
        var processors = dir.Combine("processors");
        Samples.CopyTo("Increment", processors);
        await using var engine = LogEngine.Open(dir.Combine("store"), new LogEngineOptions { Workers = 2 });
        await engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["in"], To = ["out"], Processor = Path.Combine(processors, "Increment.dll"), Count = 10 });
        await engine.CommitAsync([.. Enumerable.Range(0, 100).Select(i => new CommitLog("in", System.Text.Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))))]);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await engine.WaitForProcsAsync(["inc"], cts.Token);

        var outputs = await engine.RangeAsync("out");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), outputs.Select(o => o.BodyText));
        var stats = await engine.GetStatsAsync();
        Assert.Equal(2, stats.Workers.Count);
        Assert.Equal(10, stats.SystemProcs.Single().Executions);
    }
}
