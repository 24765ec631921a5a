using Engine.Checkpoints;
using Engine.Log;
using Engine.Recovery;
using Engine.State;
using Engine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Engine.Telemetry;

namespace Engine;

/// <summary>
/// The storage engine under <see cref="LogEngine"/>, composed of the log layer's parts: the
/// segment catalog (which segments exist), the writer (the tail, under <see cref="_writeLock"/>),
/// the flusher (durability), the checkpointer, one <see cref="FailureState"/>, and the
/// reclamation gate (when retired memory may be unmapped). This file holds opening and closing;
/// commits, reads and what the GC may ask are in the other parts.
/// </summary>
internal sealed partial class Store : IDisposable
{
    private readonly IStorageMedium _medium;
    private readonly LogEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _writeLock = new();
    private readonly SegmentCatalog _segments;
    private readonly LogState _state;
    private readonly LogWriter _writer;
    private readonly Flusher _flusher;
    private readonly FailureState _failures;
    private readonly ReclamationGate _gate = new();
    private readonly Checkpointer _checkpointer;
    private readonly Procs.TopicSignals _signals = new();
    private readonly Gc.GarbageCollector _gc;
    private volatile bool _closed;

    private Store(IStorageMedium medium, LogEngineOptions options, ILogger logger, SegmentCatalog segments, LogState state,
        CheckpointSlots slots, Segment? tail, long position, RecoveryReport recovery)
    {
        _medium = medium;
        _options = options;
        _logger = logger;
        _segments = segments;
        _state = state;
        Recovery = recovery;
        _failures = new FailureState(logger);
        _writer = new LogWriter(medium, segments, _failures, options.SegmentSize, options.TimeProvider);
        if (tail is null) _writer.StartEmpty();
        else _writer.Resume(tail, position);
        _flusher = new Flusher(segments, _failures, medium.IsPersistent ? options.Durability : Durability.None, options.FlushInterval, _writer.Position);
        _checkpointer = new Checkpointer(medium, slots, _flusher, _failures, _gate, Snapshot, () => _state.Topics.All, options, logger);
        _gc = new Gc.GarbageCollector(this, options.Gc, logger);
    }

    internal Gc.GarbageCollector Gc => _gc;

    /// <summary>Runs the garbage collector now (with the configured settings, or the defaults).</summary>
    public Task<GcReport> CollectGarbageAsync(CancellationToken ct)
    {
        ThrowIfClosed();
        return _gc.RunAsync(ct);
    }

    public RecoveryReport Recovery { get; }

    public LogEngineOptions Options => _options;

    internal ILogger Logger => _logger;

    internal LogState State => _state;

    /// <summary>Whether writes are refused until reopening, and why.</summary>
    internal FailureState Failures => _failures;

    /// <summary>True when opened read-only (<see cref="ReadOnlyFileMedium"/>): every commit is refused.</summary>
    internal bool IsReadOnly => _medium.IsReadOnly;

    /// <summary>True once the store is disposed (health checks read it without taking the write lock).</summary>
    internal bool IsClosed => _closed;

    internal Checkpointer Checkpointer => _checkpointer;

    /// <summary>Wakes waiters on a topic when a frame touches it.</summary>
    internal Procs.TopicSignals Signals => _signals;

    internal TimeProvider Clock => _options.TimeProvider;

    /// <summary>Runs <paramref name="read"/> under the write lock: a consistent look at procs.</summary>
    public T UnderWriteLock<T>(Func<T> read)
    {
        lock (_writeLock)
        {
            ThrowIfClosed();
            return read();
        }
    }

    /// <summary>Holds the reclamation gate: index and segment memory stays mapped until disposed.</summary>
    internal ReclamationGate.ReadScope EnterReadGate() => _gate.EnterRead();

    internal SegmentCatalog Segments => _segments;

    internal Segment TailSegment
    {
        get
        {
            lock (_writeLock) return _writer.Tail;
        }
    }

    /// <summary>The log position after the last frame written (for tests and tools).</summary>
    internal long WrittenPosition => _flusher.Written;

    /// <summary>The tail's background block reservation, in progress or last done (tests wait for it).</summary>
    internal Task TailReservationAhead => _writer.ReservationAhead;

    /// <summary>Syncs everything written, now, on the calling thread, as a checkpoint does.</summary>
    internal void SyncNow() => _flusher.SyncNow();

    /// <summary>Opens (recovering) a store on a medium; the medium is disposed if this fails.</summary>
    public static Store Open(IStorageMedium medium, LogEngineOptions options)
    {
        try
        {
            StoreOptions.Validate(options);
            var logger = options.LoggerFactory?.CreateLogger("Engine") ?? NullLogger.Instance;
            var segments = new SegmentCatalog();
            var state = new LogState(medium);
            var (tail, position, report, slots) = new StoreRecovery(medium, state, segments, options, logger).Run();
            var store = new Store(medium, options, logger, segments, state, slots, tail, position, report);
            // No checkpoint here: what recovery did (a cut, a rebuilt index) is simply done again if
            // the store crashes before the background checkpoint, so opening stays fast.
            if (medium.IsPersistent)
                logger.StoreOpened(report.ReplayedFrames, report.ReplayedBytes, report.Elapsed, report.CleanShutdown);
            return store;
        }
        catch
        {
            medium.Dispose();
            throw;
        }
    }

    /// <summary>Writes a checkpoint now (the GC, and tests).</summary>
    public void WriteCheckpoint(bool clean) => _checkpointer.Write(clean);

    /// <summary>The state at the log end, with the segment catalog, taken under the write lock.</summary>
    private Checkpoint Snapshot(long generation, bool clean)
    {
        lock (_writeLock)
        {
            return new Checkpoint(generation, _writer.Position, clean, _state.Topics.NextId,
                [.. _state.Topics.All.OrderBy(t => t.Id).Select(t => new TopicCheckpoint(t.Id, t.Name, t.NextSeq, t.FirstSeq, t.LastTimestamp))],
                _state.CaptureSections(), _segments.BasePositions());
        }
    }

    /// <summary>For writes: refused once closed or poisoned.</summary>
    private void ThrowIfUnusable()
    {
        ThrowIfClosed();
        if (_medium.IsReadOnly)
            throw new LogEngineException(LogEngineError.InvalidArgument, "the store is open read-only (a tool's look at it): open it for writing, or ask the host that serves it");
        _failures.ThrowIfFailed();
    }

    /// <summary>For reads: they go on after a write failure, until the store is closed.</summary>
    private void ThrowIfClosed()
    {
        if (_closed) throw new LogEngineException(LogEngineError.Closed, "the engine is closed");
    }

    /// <summary>Stops writes, waits for reads, writes a clean checkpoint and releases everything. Never throws.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_closed) return;
            _closed = true;
        }
        _signals.PulseAll();
        _gc.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _checkpointer.Dispose();
        try
        {
            if (!_failures.IsFailed) _checkpointer.Write(clean: true);
        }
        catch (Exception e) when (e is LogEngineException || StorageFault.IsStorageFailure(e))
        {
            _logger.FinalCheckpointFailed(e);
        }
        finally
        {
            lock (_writeLock) _writer.DropSpare();
            _flusher.Dispose();
            _gate.Free([.. _state.Topics.All.Select(t => t.Index), .. _segments.Snapshot]);
            _gate.Dispose();
            _medium.Dispose();
        }
    }
}
