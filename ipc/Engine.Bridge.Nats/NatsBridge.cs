using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Engine.Bridge.Nats;

/// <summary>
/// A running bridge between an engine (in-process or a host over IPC) and NATS JetStream: one loop
/// per exported topic (<see cref="TopicExporter"/>) and per import (<see cref="StreamImporter"/>).
/// It never drops: an absent or refusing server is waited out with backoff, and every failure is
/// logged and passed to <see cref="NatsBridgeOptions.OnFault"/>. The engine is not owned: dispose
/// the bridge first, then the engine.
/// </summary>
public sealed class NatsBridge : IAsyncDisposable
{
    private readonly NatsConnection _nats;
    private readonly BridgeReporter _reporter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private NatsBridge(ILogClient engine, NatsBridgeOptions options, ILogger logger)
    {
        _reporter = new BridgeReporter(logger, options.OnFault);
        _nats = new NatsConnection(new NatsOpts
        {
            Url = options.Url,
            Name = $"engine-bridge/{options.Namespace}",
            RetryOnInitialConnect = true, // an absent server is waited for, like one that went away
            HeaderEncoding = Encoding.UTF8, // topic names (in Engine-Topic and Nats-Msg-Id) are UTF-8
            ReconnectWaitMin = options.RetryMin,
            ReconnectWaitMax = options.RetryMax,
        });
        var js = new NatsJSContext(_nats);
        var provisioned = new StreamProvisioner(js, options, _reporter).RunAsync(_stop.Token);
        var loops = new List<Task> { provisioned };
        foreach (var export in options.Exports)
        {
            var exporter = new TopicExporter(engine, _nats, js, export, options, _reporter);
            loops.Add(Task.Run(async () =>
            {
                await provisioned;
                await exporter.RunAsync(_stop.Token);
            }));
        }
        foreach (var import in options.Imports)
            loops.Add(Task.Run(() => new StreamImporter(engine, js, import, options, _reporter).RunAsync(_stop.Token)));
        _running = Task.WhenAll(loops);
        logger.LogStarted(options.Exports.Count, options.Imports.Count, options.Url);
    }

    /// <summary>Starts the bridge; it runs until disposed. Bad options are <see cref="LogEngineError.InvalidArgument"/>.</summary>
    public static NatsBridge Start(ILogClient engine, NatsBridgeOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        BridgeOptionsValidator.Validate(options);
        return new NatsBridge(engine, options, logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Completes when the bridge stops: after disposal, or faulted when a loop met an error it cannot
    /// wait out (the engine closed, a misconfiguration the engine refuses).
    /// </summary>
    public Task Completion => _running;

    /// <summary>Counters and the last fault.</summary>
    public NatsBridgeStatus Status => _reporter.Status();

    /// <summary>Stops every loop (an open export claim stays open and is given back at the next start) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // the normal end of the loops
        }
        catch (LogEngineException)
        {
            // already visible through Completion
        }
        await _nats.DisposeAsync();
        _stop.Dispose();
    }
}
