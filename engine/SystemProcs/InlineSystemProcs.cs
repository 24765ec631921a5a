using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Engine.Telemetry;

namespace Engine.SystemProcs;

/// <summary>
/// System procs whose processor is a delegate: they run in the calling process, for
/// <see cref="LogEngine"/> and <c>LogClient</c> alike. Each proc gets a loop that waits for a batch
/// (pushed, as for live procs), runs the processor with a token cancelled at the reclaim
/// timeout, and ack-commits what it returns to every <c>To</c> topic; a processor that throws
/// reclaims. Registering a name again replaces its loops. The procs persist; the delegate cannot,
/// so after a reopen the system proc runs again once it is registered again.
/// </summary>
internal sealed class InlineSystemProcs(ILogClient client, ILiveProcBackend backend, ILoggerFactory? loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Figures> _figures = new(StringComparer.Ordinal);

    /// <summary>Executions, errors and latency of each inline system proc.</summary>
    public IEnumerable<SystemProcStats> Stats() => _figures.Select(f => f.Value.Snapshot(f.Key));
    private readonly ILogger _logger = loggers?.CreateLogger("Engine.SystemProcs") ?? NullLogger.Instance;

    public async ValueTask<IReadOnlyList<ProcState>> StartAsync(SystemProcOptions options, CancellationToken ct)
    {
        SystemProcNames.Validate(options);
        var processor = options.InlineProcessor ?? throw new LogEngineException(LogEngineError.NoValidProcessor, "no inline processor");
        var procs = SystemProcNames.ProcsOf(options);
        foreach (var (topic, procName) in procs) await backend.CreateProcAsync(topic, SystemProcNames.ProcOptions(options, procName));
        var states = new List<ProcState>();
        foreach (var (_, procName) in procs) states.Add(await client.InspectProcAsync(procName, ct));
        var running = new Running();
        if (_running.TryRemove(options.Name, out var previous)) await previous.StopAsync();
        foreach (var (topic, procName) in procs)
            running.Loops.Add(Task.Run(() => RunAsync(topic, procName, options, processor, running.Stop.Token)));
        _running[options.Name] = running;
        return states;
    }

    private async Task RunAsync(string topic, string procName, SystemProcOptions options, ProcessorDelegate processor, CancellationToken stop)
    {
        var procOptions = SystemProcNames.ProcOptions(options, procName);
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<LogEntry> batch;
            try
            {
                batch = await backend.ClaimWhenAvailableAsync(topic, procOptions, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.Closed or LogEngineError.ConnectionFailed or LogEngineError.ProcIsDisabled or LogEngineError.ProcNotFound)
            {
                _logger.InlineSystemProcStops(procName, e.Message);
                return;
            }
            await ProcessAsync(topic, procName, options, processor, batch, stop);
        }
    }

    private async Task ProcessAsync(string topic, string procName, SystemProcOptions options, ProcessorDelegate processor, IReadOnlyList<LogEntry> batch, CancellationToken stop)
    {
        // The claim came from a wait, so the span starts with the batch in hand; the ack is its child.
        using var span = EngineActivities.StartProcess(procName, topic, options.Name);
        span?.SetTag(EngineActivities.BatchCount, batch.Count);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ReclaimTimeout);
        var figures = _figures.GetOrAdd(options.Name, _ => new Figures());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var outputs = await processor(batch, timeout.Token);
            var logs = new List<CommitLog>(outputs.Count * options.To.Count);
            foreach (var body in outputs)
                foreach (var to in options.To) logs.Add(new CommitLog(to, body));
            await client.AckCommitAsync(procName, logs, CancellationToken.None);
            figures.Executed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            figures.Failed();
            var errorType = e.GetType().FullName ?? e.GetType().Name;
            EngineMetrics.ProcessorFailed(null, options.Name, errorType);
            EngineActivities.MarkFailed(span, errorType, e.Message);
            _logger.InlineProcessorFailed(e, procName, batch.Count == 0 ? "" : batch[0].Id);
            try
            {
                await backend.ReclaimAfterFailureAsync(procName, $"{e.GetType().Name}: {e.Message}");
            }
            catch (LogEngineException reclaim) when (reclaim.Code is LogEngineError.NothingToReclaim or LogEngineError.ProcIsDisabled)
            {
                // the claim timed out and was reclaimed already, or the proc is disabled
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _running.Keys)
            if (_running.TryRemove(name, out var running)) await running.StopAsync();
    }

    private sealed class Figures
    {
        private long _executions;
        private long _errors;
        private long _ticks;

        public void Executed(TimeSpan latency)
        {
            Interlocked.Increment(ref _executions);
            Interlocked.Add(ref _ticks, latency.Ticks);
        }

        public void Failed() => Interlocked.Increment(ref _errors);

        public SystemProcStats Snapshot(string name)
        {
            var executions = Interlocked.Read(ref _executions);
            return new SystemProcStats(name, "inline", executions, Interlocked.Read(ref _errors), 0,
                executions == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _ticks) / executions), null);
        }
    }

    private sealed class Running
    {
        public CancellationTokenSource Stop { get; } = new();

        public List<Task> Loops { get; } = [];

        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Task.WhenAll(Loops).ContinueWith(_ => { }, TaskScheduler.Default);
            Stop.Dispose();
        }
    }
}
