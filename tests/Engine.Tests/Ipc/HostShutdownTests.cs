using Engine.Ipc;
using Engine.Ipc.Hosting;
using Microsoft.Extensions.Logging;

namespace Engine.Tests.Ipc;

/// <summary>
/// The host's graceful stop (what <c>engine serve</c> does on SIGTERM or a shutdown request)
/// completes without error whatever its clients are doing at that moment.
/// </summary>
public sealed class HostShutdownTests
{
    [Fact]
    public async Task A_host_stops_cleanly_while_its_clients_disconnect_at_the_same_moment()
    {
        // The host's log is slow (a console under load): it is held while it writes why it closes
        // the first connection, and every client leaves on its own meanwhile; then it goes on.
        // The held log blocks a thread; the pool must not need to grow for the clients to leave.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        using var log = new HeldLogger();
        var socket = "unix://" + IpcTest.NewSocketPath();
        var host = await EngineHost.StartAsync(new EngineHostOptions { Memory = true, Socket = socket, Engine = new LogEngineOptions { Workers = 0 } }, log);
        var clients = new List<LogClient>();
        for (var i = 0; i < 4; i++)
        {
            var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard });
            await client.CommitAsync("t", "x"u8.ToArray());
            clients.Add(client);
        }

        var stopping = Task.Run(async () => await host.DisposeAsync());
        await log.ClosingConnections.WaitAsync(IpcTest.Guard);
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).WaitAsync(IpcTest.Guard);
        log.Release();

        var error = await Record.ExceptionAsync(() => stopping.WaitAsync(IpcTest.Guard));
        Assert.True(error is null, $"stopping the host failed: {error}");
    }

    /// <summary>
    /// Holds every entry from the one saying the host is closing connections until released (no
    /// timing: the test decides when the log catches up), and says when that entry arrived.
    /// </summary>
    private sealed class HeldLogger : ILogger, IDisposable
    {
        private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _released = new();

        public Task ClosingConnections => _closing.Task;

        public void Release() => _released.Set();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("the host has shut down", StringComparison.Ordinal)) _closing.TrySetResult();
            if (_closing.Task.IsCompleted) _released.Wait(IpcTest.Guard);
        }

        public void Dispose()
        {
            _released.Set();
            _released.Dispose();
        }
    }
}
