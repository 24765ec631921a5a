using Engine.Ipc.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine.Ipc.Hosting;

/// <summary>
/// An engine with a server in front of it: what <c>engine serve</c> runs, and what tests start
/// in-process. Stopping is graceful and ordered: stop accepting and end waits, let requests in
/// progress finish, close the engine (workers stop, a final checkpoint is written, the store's
/// lock is released), and only then close client connections, so a client that sees its
/// connection close after a shutdown knows the store is free. An application that is both the
/// engine and a server for other processes starts one (Engine.Hosting's <c>AddLogEngineHost</c>
/// runs one inside a Generic Host).
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly LogEngine _engine;
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HostServer _server = null!;
    private int _stopped;

    private EngineHost(LogEngine engine) => _engine = engine;

    /// <summary>The engine this host serves; the application may use it in-process too.</summary>
    public LogEngine Engine => _engine;

    /// <summary>The address clients connect to (<c>unix://...</c> or <c>tcp://...</c>).</summary>
    public string Address => _server.Address;

    /// <summary>Completes when a client asks the host to shut down.</summary>
    public Task ShutdownRequested => _shutdownRequested.Task;

    /// <summary>Opens the engine and starts accepting connections; fails with <see cref="LogEngineException"/> (<see cref="LogEngineError.Locked"/> if another process holds the store).</summary>
    public static async Task<EngineHost> StartAsync(EngineHostOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
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

    /// <summary>Stops gracefully: no new requests, those in progress finish, the engine closes, then connections close.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _server.StopAsync();
        await _engine.DisposeAsync();
        await _server.CloseConnectionsAsync();
        await _server.DisposeAsync();
    }
}
