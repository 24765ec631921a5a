using Engine.Ipc.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Engine.Hosting;

/// <summary>
/// The engine host of <c>AddLogEngineHost</c>: the engine, its workers and the server in front
/// of them. The Generic Host stops it on SIGTERM/SIGINT (graceful: requests in progress finish,
/// the store closes, then connections close); a client's shutdown request stops the whole app.
/// </summary>
internal sealed class HostLifetime(
    IOptions<LogEngineHostServiceOptions> options,
    IHostApplicationLifetime application,
    ILoggerFactory? loggers = null) : ServiceLifetime<EngineHost>
{
    protected override async ValueTask<EngineHost> OpenAsync(CancellationToken ct)
    {
        var host = await EngineHost.StartAsync(options.Value.ToHostOptions(loggers),
            loggers?.CreateLogger("Engine.Host") ?? NullLogger.Instance);
        _ = host.ShutdownRequested.ContinueWith(_ => application.StopApplication(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return host;
    }
}
