using System.Collections.Concurrent;
using System.Security.Cryptography;
using Engine.Ipc.Server;
using Engine.Ipc.Transport;
using Engine.SystemProcs;
using Engine.Workers.DropIn;
using Engine.Workers.Loading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine.Workers.Supervision;

/// <summary>
/// Runs DLL system procs in worker processes for one engine (embedded, or inside a host). The
/// workers connect back over the IPC layer to a private socket with a random token; runners feed
/// them batches; the pool supervises them; a watcher registers processors dropped into the
/// processors directory. Found by the engine by name (see ProcessorRuntimes).
/// </summary>
internal sealed class WorkerRuntime : IProcessorRuntime
{
    private readonly LogEngineOptions _options;
    private readonly ILogger _logger;
    private readonly HostServer _server;
    private readonly ConcurrentDictionary<string, (SystemProcRegistration Registration, List<SystemProcRunner> Runners)> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SystemProcFigures> _figures = new(StringComparer.Ordinal);
    private readonly DropInWatcher? _watcher;
    private long _nextBatchId;

    public WorkerRuntime(LogEngine engine, LogEngineOptions options)
    {
        Engine = engine;
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("Engine.Workers") ?? NullLogger.Instance;
        Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var endpoint = Endpoint.Parse("unix://" + Path.Combine(Endpoint.SocketDirectory(), $"workers-{Environment.ProcessId}-{Guid.NewGuid():N}.sock"));
        _server = HostServer.StartAsync(new HostServerOptions { Endpoint = endpoint, Token = Token, IdleTimeout = TimeSpan.FromSeconds(10) },
            new WorkerChannel(this), _logger).GetAwaiter().GetResult();
        Pool = new WorkerPool(this, Math.Max(1, options.Workers), options.SpareWorkers, options.WorkerConcurrency, options.WorkerRestartAfter, _logger);
        if (options.ProcessorsDirectory is { } directory) _watcher = new DropInWatcher(this, Path.GetFullPath(directory), _logger);
    }

    public LogEngine Engine { get; }

    public Scheduler Scheduler { get; } = new();

    public WorkerPool Pool { get; }

    public StampCache Stamps { get; } = new();

    public TimeProvider Clock => _options.TimeProvider;

    public string Address => _server.Address;

    public string Token { get; }

    /// <summary>The processors directory's watcher, if there is one.</summary>
    public DropInWatcher? Watcher => _watcher;

    public long NextBatchId() => Interlocked.Increment(ref _nextBatchId);

    public string Resolve(string processor)
    {
        var spec = ProcessorSpec.Parse(processor, _options.ProcessorsDirectory);
        ProcessorLoader.Check(spec);
        return spec.ToString();
    }

    public void Run(SystemProcRegistration registration)
    {
        var figures = _figures.GetOrAdd(registration.Name, _ => new SystemProcFigures(registration.Name, registration.Options.Processor!));
        var runners = SystemProcNames.ProcsOf(registration.Options)
            .Select(p => new SystemProcRunner(this, registration, p.Topic, p.ProcName, figures, _logger))
            .ToList();
        if (_running.TryGetValue(registration.Name, out var previous)) _ = StopRunnersAsync(previous.Runners);
        _running[registration.Name] = (registration, runners);
        Pool.EnsureStarted();
        foreach (var runner in runners) runner.Start();
        _logger.SystemProcRuns(registration.Name, registration.Options.Processor, string.Join(", ", registration.Options.From));
    }

    public async Task StopAsync(string name)
    {
        if (_running.TryRemove(name, out var running)) await StopRunnersAsync(running.Runners);
    }

    /// <summary>Supervision gave up on a system proc: its procs are disabled and the reason kept in its figures.</summary>
    public async Task DisableAsync(SystemProcRegistration registration, string reason)
    {
        _logger.DisablingSystemProc(registration.Name, reason);
        if (_figures.TryGetValue(registration.Name, out var figures)) figures.DisabledReason = reason;
        foreach (var (_, procName) in SystemProcNames.ProcsOf(registration.Options))
        {
            try
            {
                await Engine.DisableProcAsync(procName);
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.ProcNotFound or LogEngineError.Closed)
            {
            }
        }
    }

    /// <summary>The system procs registered from a DLL file (drop-in), by name.</summary>
    public IEnumerable<SystemProcRegistration> Registrations => _running.Values.Select(r => r.Registration);

    public EngineStats Stats() => new(
        [.. Pool.Workers.Select(w => w.Stats())],
        [.. _figures.Values.Select(f => f.Stats())]);

    private static Task StopRunnersAsync(IEnumerable<SystemProcRunner> runners) => Task.WhenAll(runners.Select(r => r.StopAsync()));

    public async ValueTask DisposeAsync()
    {
        if (_watcher is not null) await _watcher.DisposeAsync();
        var stopping = StopRunnersAsync(_running.Values.SelectMany(r => r.Runners));
        await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(10))); // in-flight batches finish, bounded
        await Pool.DisposeAsync();
        await _server.DisposeAsync();
        foreach (var figures in _figures.Values)
        {
            var stats = figures.Stats();
            _logger.SystemProcFigures(stats.Name, stats.Executions, stats.Errors, stats.WorkerCrashes, stats.AverageLatency);
        }
        foreach (var worker in Pool.Workers.Select(w => w.Stats()))
            _logger.WorkerFigures(worker.Id, worker.Executions, worker.Errors, worker.Restarts, worker.AverageLatency);
    }
}
