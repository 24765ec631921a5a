using Engine.Hosting;
using Engine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Engine.Tests.Hosting;

/// <summary><c>services.AddLogEngine(...)</c> inside a real Generic Host.</summary>
public sealed class AddLogEngineTests
{
    [Fact]
    public async Task The_engine_opens_when_the_app_starts_and_closes_cleanly_when_it_stops()
    {
        using var dir = new TempDirectory();
        using (var app = GenericHosts.Build(s => s.AddLogEngine(dir.Path, o => o.Workers = 0)))
        {
            await app.StartAsync();
            var client = app.Services.GetRequiredService<ILogClient>();
            Assert.Same(app.Services.GetRequiredService<LogEngine>(), client);
            await client.CommitAsync("t", "hello"u8.ToArray());
            await app.StopAsync();
            // Stopped means closed: the store's lock is free and what was committed is there.
            await using var reopened = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 });
            Assert.Equal("hello", Assert.Single(await reopened.RangeAsync("t")).BodyText);
        }
    }

    [Fact]
    public async Task Options_are_bound_from_configuration()
    {
        using var dir = new TempDirectory();
        using var app = GenericHosts.Build(
            s => s.AddLogEngine(_ => { }).BindConfiguration("Engine"),
            new Dictionary<string, string?>
            {
                ["Engine:Path"] = dir.Path,
                ["Engine:SegmentSize"] = "2097152",
                ["Engine:Durability"] = "Always",
                ["Engine:Workers"] = "0",
            });
        var options = app.Services.GetRequiredService<IOptions<LogEngineServiceOptions>>().Value;
        Assert.Equal((dir.Path, 2L * 1024 * 1024, Durability.Always, 0), (options.Path, options.SegmentSize, options.Durability, options.Workers));
        await app.StartAsync();
        await app.Services.GetRequiredService<ILogClient>().CommitAsync("t", "x"u8.ToArray());
        await app.StopAsync();
        Assert.True(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Bad_options_stop_the_start_with_a_message_naming_each_bad_option()
    {
        using var app = GenericHosts.Build(s => s.AddLogEngine(o =>
        {
            o.SegmentSize = 4096;
            o.WorkerConcurrency = 0;
        }));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Path is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("SegmentSize must be at least 1048576 bytes (1 MiB), not 4096", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkerConcurrency must be 1 or more, not 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_takes_the_client_in_its_constructor_gets_the_same_open_engine()
    {
        using var app = GenericHosts.Build(s =>
        {
            s.AddLogEngine(o => { o.InMemory = true; o.Workers = 0; });
            s.AddHostedService<CommitsOnStart>();
        });
        await app.StartAsync();
        Assert.Equal(1, await app.Services.GetRequiredService<ILogClient>().LengthAsync("started"));
        await app.StopAsync();
    }

    private sealed class CommitsOnStart(ILogClient client) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken) => await client.CommitAsync("started", "1"u8.ToArray(), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
