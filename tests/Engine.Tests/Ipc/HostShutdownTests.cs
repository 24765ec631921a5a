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
        // The host's log is slow (a console under load): while it writes why it closes the first
        // connection, every client leaves on its own.
        // The slow log blocks a thread; the pool must not need to grow for the clients to leave.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var log = new SlowLogger(TimeSpan.FromMilliseconds(100));
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

        var error = await Record.ExceptionAsync(() => stopping.WaitAsync(IpcTest.Guard));
        Assert.True(error is null, $"stopping the host failed: {error}");
    }

    /// <summary>Takes its time over every entry; says when the host starts closing connections.</summary>
    private sealed class SlowLogger(TimeSpan perEntry) : ILogger
    {
        private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ClosingConnections => _closing.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("the host has shut down", StringComparison.Ordinal)) _closing.TrySetResult();
            Thread.Sleep(perEntry);
        }
    }
}
