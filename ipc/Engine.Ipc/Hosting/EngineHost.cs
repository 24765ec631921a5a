using Engine.Ipc.Server;
using Microsoft.Extensions.Logging;

namespace Engine.Ipc.Hosting;

/// <summary>
/// An engine with a server in front of it: what <c>engine serve</c> runs, and what tests start
/// in-process. Stopping is graceful and ordered: stop accepting and end waits, let requests in
/// progress finish, close the engine (workers stop, a final checkpoint is written, the store's
/// lock is released), and only then close client connections, so a client that sees its
/// connection close after a shutdown knows the store is free.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly LogEngine _engine;
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HostServer _server = null!;
    private int _stopped;

    private EngineHost(LogEngine engine) => _engine = engine;

    public LogEngine Engine => _engine;

    public string Address => _server.Address;

    /// <summary>Completes when a client asks the host to shut down.</summary>
    public Task ShutdownRequested => _shutdownRequested.Task;

    public static async Task<EngineHost> StartAsync(HostOptions options, ILogger logger)
    {
        var engine = options.Memory ? LogEngine.OpenInMemory(options.Engine) : LogEngine.Open(options.Path ?? "engine-data", options.Engine);
        var host = new EngineHost(engine);
        try
        {
            var dispatcher = new RequestDispatcher(engine, () =>
            {
                host._shutdownRequested.TrySetResult();
                return ValueTask.CompletedTask;
            });
            host._server = await HostServer.StartAsync(options.ServerOptions(), dispatcher, logger);
            return host;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _server.StopAsync();
        await _engine.DisposeAsync();
        await _server.CloseConnectionsAsync();
        await _server.DisposeAsync();
    }
}
