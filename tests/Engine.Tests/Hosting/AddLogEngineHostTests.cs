using Engine.Ipc;
using Engine.Ipc.Hosting;
using Engine.Tests.Ipc;
using Engine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engine.Tests.Hosting;

/// <summary><c>AddLogEngineHost</c> (an app that is the engine and serves it) and <c>AddLogClient</c> (an app that connects to one).</summary>
public sealed class AddLogEngineHostTests
{
    [Fact]
    public async Task An_app_with_the_host_serves_other_processes_and_uses_the_same_engine_itself()
    {
        using var dir = new TempDirectory();
        var socket = "unix://" + IpcTest.NewSocketPath();
        using var app = GenericHosts.Build(s => s.AddLogEngineHost(o =>
        {
            o.Path = dir.Path;
            o.Socket = socket;
            o.Workers = 0;
        }));
        await app.StartAsync();
        await using (var other = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = GenericHosts.Guard }))
            await other.CommitAsync("t", "from another process"u8.ToArray());
        var local = app.Services.GetRequiredService<ILogClient>();
        Assert.Equal("from another process", Assert.Single(await local.RangeAsync("t")).BodyText);
        Assert.Equal(socket, app.Services.GetRequiredService<EngineHost>().Address);

        await app.StopAsync();
        await using var reopened = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 });
        Assert.Equal(1, await reopened.LengthAsync("t"));
    }

    [Fact]
    public async Task A_client_asking_the_host_to_shut_down_stops_the_app()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        using var app = GenericHosts.Build(s => s.AddLogEngineHost(o =>
        {
            o.InMemory = true;
            o.Socket = socket;
            o.Workers = 0;
        }));
        // As an app runs: RunAsync stops the app (and with it the host) once stopping is asked for;
        // the client's ShutdownAsync returns when the host has released the store.
        await app.StartAsync();
        var running = app.WaitForShutdownAsync();
        await using (var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = GenericHosts.Guard }))
            await client.ShutdownAsync().AsTask().WaitAsync(GenericHosts.Guard);
        await running.WaitAsync(GenericHosts.Guard);
    }

    [Fact]
    public async Task AddLogClient_connects_at_start_to_a_host_and_disconnects_at_stop()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await EngineHost.StartAsync(new EngineHostOptions { Memory = true, Socket = socket, Engine = new LogEngineOptions { Workers = 0 } });
        using var app = GenericHosts.Build(s => s.AddLogClient(o =>
        {
            o.Socket = socket;
            o.Timeout = GenericHosts.Guard;
        }));
        await app.StartAsync();
        var client = app.Services.GetRequiredService<ILogClient>();
        Assert.IsType<LogClient>(client);
        await client.CommitAsync("t", "x"u8.ToArray());
        Assert.Equal(1, await host.Engine.LengthAsync("t"));
        await app.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () => await client.LengthAsync("t"));
    }
}
