using System.Diagnostics;
using System.Text.Json;
using Engine.Storage;
using Engine.Telemetry;

namespace Engine;

/// <summary>
/// The engine in-process: a store on disk (<see cref="Open"/>) or in memory
/// (<see cref="OpenInMemory"/>) behind the <see cref="ILogClient"/> API.
/// </summary>
public sealed partial class LogEngine : ILogClient, ILiveProcBackend
{
    private readonly Store _store;
    private readonly Procs.ProcService _procs;
    private readonly SystemProcs.InlineSystemProcs _inline;
    private readonly Lock _runtimeLock = new();
    private SystemProcs.IProcessorRuntime? _runtime;

    private LogEngine(Store store, string name)
    {
        _store = store;
        StoreName = name;
        _procs = new Procs.ProcService(store);
        EngineMetrics.Opened(store, name, () => _procs.List(CancellationToken.None));
        _inline = new SystemProcs.InlineSystemProcs(this, this, store.Options.LoggerFactory);
    }

    /// <summary>The procs of this engine (tests watch its waits).</summary>
    internal Procs.ProcService ProcService => _procs;

    /// <summary>
    /// Starts the worker runtime when it has work: DLL system procs registered before (they are
    /// durable), or a processors directory to watch. Without Engine.Workers they cannot run; that
    /// is logged, not fatal, so the store still opens.
    /// </summary>
    private LogEngine StartProcessing()
    {
        var registrations = _store.UnderWriteLock(() => _store.State.SystemProcs.All.ToList());
        if (_store.Options.Workers == 0 || (registrations.Count == 0 && _store.Options.ProcessorsDirectory is null)) return this;
        try
        {
            var runtime = Runtime();
            foreach (var registration in registrations) runtime.Run(registration);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.NoValidProcessor)
        {
            _store.Logger.DllSystemProcsCannotRun(registrations.Count, e.Message);
        }
        return this;
    }

    /// <summary>The worker runtime, started on first need.</summary>
    internal SystemProcs.IProcessorRuntime Runtime()
    {
        lock (_runtimeLock) return _runtime ??= SystemProcs.ProcessorRuntimes.Create(this, _store.Options);
    }

    /// <summary>
    /// Opens (creating if missing) the store in <paramref name="path"/>, recovering it if it was not
    /// closed cleanly. Fails with <see cref="LogEngineError.Locked"/> if another engine holds it.
    /// </summary>
    public static LogEngine Open(string path, LogEngineOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new LogEngineException(LogEngineError.InvalidArgument, "the store path is empty");
        StorePath.RefuseFiles(path);
        var medium = Guard.Run(() => StorePath.Opening(path, () => FileMedium.Open(path)), $"opening the store '{path}'");
        var store = Guard.Run(() => StorePath.Opening(path, () => Store.Open(medium, options ?? new LogEngineOptions())), $"opening the store '{path}'");
        return new LogEngine(store, path).StartProcessing();
    }

    /// <summary>
    /// Opens an existing store to look at it without changing a byte (see
    /// <see cref="ReadOnlyFileMedium"/>): reads, listings and proc inspection work; anything that
    /// writes (commits, claims, acks) is <see cref="LogEngineError.InvalidArgument"/>. No workers and
    /// no GC run. <see cref="LogEngineError.Locked"/> while an engine holds the store.
    /// </summary>
    internal static LogEngine OpenReadOnly(string path, LogEngineOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new LogEngineException(LogEngineError.InvalidArgument, "the store path is empty");
        StorePath.RefuseFiles(path);
        var medium = Guard.Run(() => StorePath.Opening(path, () => ReadOnlyFileMedium.Open(path)), $"opening the store '{path}' read-only");
        var readOnly = (options ?? new LogEngineOptions()) with { Workers = 0, Gc = null };
        var store = Guard.Run(() => StorePath.Opening(path, () => Store.Open(medium, readOnly)), $"opening the store '{path}' read-only");
        return new LogEngine(store, path);
    }

    /// <summary>A store in memory, with the same semantics and no disk access.</summary>
    public static LogEngine OpenInMemory(LogEngineOptions? options = null) =>
        new LogEngine(Store.Open(new MemoryMedium(), options ?? new LogEngineOptions()), "memory").StartProcessing();

    /// <summary>A store on a given medium (tests inject faults through one).</summary>
    internal static LogEngine OpenOn(IStorageMedium medium, LogEngineOptions? options = null) =>
        new LogEngine(Guard.Run(() => Store.Open(medium, options ?? new LogEngineOptions()), "opening the store"), "medium").StartProcessing();

    /// <summary>What opening found and did (torn tail cut, indexes rebuilt, log replayed).</summary>
    public RecoveryReport LastRecovery => _store.Recovery;

    /// <summary>Why the store refuses writes (a failed write or fsync; see <see cref="LogEngineError.StoreFailed"/>), or null while it accepts them.</summary>
    internal Exception? WriteFailure => _store.Failures.Cause;

    /// <summary>True once the engine is disposed.</summary>
    internal bool IsClosed => _store.IsClosed;

    internal Store Store => _store;

    /// <summary>What the metrics call this store (its path, or "memory"): the <c>engine.store</c> tag.</summary>
    internal string StoreName { get; }

    /// <inheritdoc />
    public ValueTask<string> CommitAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        // Both 0/null unless someone listens: then this path takes no timestamp and allocates nothing more.
        var started = EngineMetrics.StartTiming(EngineMetrics.CommitDuration);
        var activity = EngineActivities.StartCommit(topic, 1);
        Store.CommitReceipt receipt;
        try
        {
            receipt = _store.CommitOne(topic, body.Span);
        }
        catch (Exception e)
        {
            EngineActivities.Fail(activity, e);
            if (Guard.IsStorageFailure(e)) throw Guard.Wrap(e, "committing");
            throw;
        }
        EngineMetrics.Committed(1, body.Length);
        var id = receipt.SingleId();
        var durable = _store.WaitDurableAsync(receipt);
        if (started != 0 || activity is not null) return TimedAsync(durable, id, started, activity);
        return durable.IsCompletedSuccessfully ? new ValueTask<string>(id) : AfterAsync(durable, id);
    }

    /// <inheritdoc />
    public ValueTask<string> CommitJsonAsync<T>(string topic, T body, CancellationToken ct = default) =>
        CommitAsync(topic, JsonSerializer.SerializeToUtf8Bytes(body), ct);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> CommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Log.CommitLimits.ValidateLogs(logs);
        var started = EngineMetrics.StartTiming(EngineMetrics.CommitDuration);
        var activity = EngineActivities.Source.HasListeners() ? EngineActivities.StartCommit(SingleTopic(logs), logs.Count) : null;
        Store.CommitReceipt receipt;
        try
        {
            receipt = _store.Commit(logs);
        }
        catch (Exception e)
        {
            EngineActivities.Fail(activity, e);
            if (Guard.IsStorageFailure(e)) throw Guard.Wrap(e, "committing");
            throw;
        }
        if (EngineMetrics.CommittedBytes.Enabled || EngineMetrics.SentMessages.Enabled || EngineMetrics.Commits.Enabled)
            EngineMetrics.Committed(logs.Count, logs.Sum(l => (long)l.Body.Length));
        var ids = receipt.Ids();
        var durable = _store.WaitDurableAsync(receipt);
        if (started != 0 || activity is not null) return TimedAsync(durable, ids, started, activity);
        return durable.IsCompletedSuccessfully ? new ValueTask<IReadOnlyList<string>>(ids) : AfterAsync(durable, ids);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(Guarded(() => _store.Range(topic, options, reverse: false), "reading a range"));
    }

    /// <summary>
    /// Reads a topic in order, in this process, without an object or a string per record (see
    /// <see cref="RecordScan"/>): the fastest way to go through many records. Bounds, limits and
    /// errors as <see cref="RangeAsync"/>; newest first is <see cref="RevRangeAsync"/>'s. Only on
    /// the engine itself: a client in another process reads with <c>RangeAsync</c> in pages.
    /// </summary>
    public RecordScan Scan(string topic, RangeOptions? options = null)
    {
        var (found, low, high) = Guarded(() => _store.ResolveScan(topic, options), "scanning a topic");
        return new RecordScan(_store, found, low, high);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RevRangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(Guarded(() => _store.Range(topic, options, reverse: true), "reading a range"));
    }

    /// <inheritdoc />
    public ValueTask<long> LengthAsync(string topic, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(Guarded(() => _store.Length(topic), "reading a length"));
    }

    /// <summary>
    /// Runs the garbage collector now: prunes what <see cref="LogEngineOptions.Gc"/> allows (its
    /// defaults when the periodic collector is off) and gives the space back to the file system.
    /// </summary>
    public async ValueTask<GcReport> CollectGarbageAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return await _store.CollectGarbageAsync(ct);
        }
        catch (Exception e) when (Guard.IsStorageFailure(e))
        {
            throw Guard.Wrap(e, "collecting garbage");
        }
        catch (ObjectDisposedException e)
        {
            throw new LogEngineException(LogEngineError.Closed, "the engine is closed", e);
        }
    }

    /// <summary>Runs a read, giving file system failures the codes callers can act on.</summary>
    private static T Guarded<T>(Func<T> read, string doing)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (Guard.IsStorageFailure(e))
        {
            throw Guard.Wrap(e, doing);
        }
    }

    /// <summary>Closes the store cleanly: a final checkpoint, so the next open replays nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        // Processing first: in-flight batches finish (bounded) and ack while the store is open.
        EngineMetrics.Closed(_store);
        if (Interlocked.Exchange(ref _runtime, null) is { } runtime) await runtime.DisposeAsync();
        await _inline.DisposeAsync();
        _store.Dispose();
    }

    private static async ValueTask<T> AfterAsync<T>(ValueTask durable, T result)
    {
        await durable;
        return result;
    }

    /// <summary>The topic every log goes to, or null when they go to several (for a span's name).</summary>
    private static string? SingleTopic(IReadOnlyList<CommitLog> logs)
    {
        for (var i = 1; i < logs.Count; i++)
            if (logs[i].Topic != logs[0].Topic) return null;
        return logs.Count > 0 ? logs[0].Topic : null;
    }

    /// <summary>The commit path when someone listens: the latency and the span cover the wait for durability.</summary>
    private static async ValueTask<T> TimedAsync<T>(ValueTask durable, T result, long started, Activity? activity)
    {
        try
        {
            await durable;
        }
        catch (Exception e)
        {
            EngineActivities.Fail(activity, e);
            throw;
        }
        EngineMetrics.RecordSince(EngineMetrics.CommitDuration, started);
        activity?.Dispose();
        return result;
    }
}
