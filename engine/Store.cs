using Engine.Checkpoints;
using Engine.Log;
using Engine.Recovery;
using Engine.State;
using Engine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine;

/// <summary>
/// The storage engine under <see cref="LogEngine"/>: one shared log for all topics, written by one
/// writer at a time under <see cref="_writeLock"/> straight into memory-mapped segments; per-topic
/// indexes; durability by <see cref="Flusher"/>; checkpoints so that opening replays only the tail.
/// This file holds opening, checkpoints and closing; commits and reads are in the other parts.
/// </summary>
internal sealed partial class Store : IDisposable
{
    private readonly IStorageMedium _medium;
    private readonly LogEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _writeLock = new();
    private readonly Lock _checkpointLock = new();
    private readonly SegmentSet _segments;
    private readonly LogState _state;
    private readonly LogWriter _writer;
    private readonly Flusher _flusher;
    private readonly ReclamationGate _gate = new();
    private readonly CheckpointSlots _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _checkpointWanted = new(0);
    private readonly Task _checkpointLoop;
    private readonly Procs.TopicSignals _signals = new();
    private readonly Gc.GarbageCollector _gc;
    private long _lastCheckpointPosition;
    private volatile bool _closed;
    private Exception? _poisoned;

    private Store(IStorageMedium medium, LogEngineOptions options, ILogger logger, SegmentSet segments, LogState state,
        CheckpointSlots slots, Segment? tail, long position, RecoveryReport recovery)
    {
        _medium = medium;
        _options = options;
        _logger = logger;
        _segments = segments;
        _state = state;
        _slots = slots;
        Recovery = recovery;
        _writer = new LogWriter(medium, segments, options.SegmentSize, options.TimeProvider);
        if (tail is null) _writer.StartEmpty();
        else _writer.Resume(tail, position);
        _flusher = new Flusher(segments, medium.IsPersistent ? options.Durability : Durability.None, options.FlushInterval, _writer.Position, logger);
        _lastCheckpointPosition = slots.Newest?.LogPosition ?? 0;
        _checkpointLoop = medium.IsPersistent ? Task.Run(CheckpointLoopAsync) : Task.CompletedTask;
        _gc = new Gc.GarbageCollector(this, options.Gc, logger);
    }

    internal Gc.GarbageCollector Gc => _gc;

    /// <summary>Runs the garbage collector now (with the configured settings, or the defaults).</summary>
    public Task<GcReport> CollectGarbageAsync(CancellationToken ct) => _gc.RunAsync(ct);

    public RecoveryReport Recovery { get; }

    public LogEngineOptions Options => _options;

    internal ILogger Logger => _logger;

    internal LogState State => _state;

    /// <summary>Wakes waiters on a topic when a frame touches it.</summary>
    internal Procs.TopicSignals Signals => _signals;

    internal TimeProvider Clock => _options.TimeProvider;

    /// <summary>Runs <paramref name="read"/> under the write lock: a consistent look at procs.</summary>
    public T UnderWriteLock<T>(Func<T> read)
    {
        lock (_writeLock)
        {
            ThrowIfUnusable();
            return read();
        }
    }

    /// <summary>Holds the reclamation gate: index and segment memory stays mapped until disposed.</summary>
    internal ReclamationGate.ReadScope EnterReadGate() => _gate.EnterRead();

    internal SegmentSet Segments => _segments;

    internal Segment TailSegment
    {
        get
        {
            lock (_writeLock) return _writer.Tail;
        }
    }

    /// <summary>The log from here on may be needed to open the store; segments wholly before it may go.</summary>
    internal long RetainFrom => _medium.IsPersistent ? _slots.RetainFrom : _flusher.Written;

    /// <summary>
    /// Unpublishes segments and index chunks, frees their memory once no read can be using it,
    /// and deletes their files.
    /// </summary>
    internal void Free(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, Index.IndexChunk Chunk)> chunks)
    {
        if (segments.Count == 0 && chunks.Count == 0) return;
        _segments.Remove(segments);
        _gate.Free([.. segments, .. chunks.Select(c => c.Chunk.Region)]);
        foreach (var segment in segments) _medium.DeleteSegment(segment.BasePosition);
        foreach (var (topicId, chunk) in chunks) _medium.DeleteIndexChunk(topicId, chunk.Number);
        if (chunks.Count > 0) _medium.SyncIndexDirectory();
    }

    /// <summary>The log position after the last frame written (for tests and tools).</summary>
    internal long WrittenPosition => _flusher.Written;

    /// <summary>Opens (recovering) a store on a medium; the medium is disposed if this fails.</summary>
    public static Store Open(IStorageMedium medium, LogEngineOptions options)
    {
        try
        {
            ValidateOptions(options);
            var logger = options.LoggerFactory?.CreateLogger("Engine") ?? NullLogger.Instance;
            var segments = new SegmentSet();
            var state = new LogState(medium);
            var (tail, position, report, slots) = new StoreRecovery(medium, state, segments, options, logger).Run();
            var store = new Store(medium, options, logger, segments, state, slots, tail, position, report);
            // No checkpoint here: what recovery did (a cut, a rebuilt index) is simply done again if
            // the store crashes before the background checkpoint, so opening stays fast.
            if (medium.IsPersistent)
                logger.LogInformation("Opened store: replayed {Frames} frames ({Bytes} bytes) in {Elapsed}; clean shutdown: {Clean}",
                    report.ReplayedFrames, report.ReplayedBytes, report.Elapsed, report.CleanShutdown);
            return store;
        }
        catch
        {
            medium.Dispose();
            throw;
        }
    }

    private static void ValidateOptions(LogEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static LogEngineException Invalid(string message) => new(LogEngineError.InvalidArgument, message);
        if (options.SegmentSize < LogEngineOptions.MinSegmentSize || options.SegmentSize > SegmentHeader.MaxCapacity)
            throw Invalid($"SegmentSize must be between {LogEngineOptions.MinSegmentSize} and {SegmentHeader.MaxCapacity} bytes");
        if (options.FlushInterval < TimeSpan.Zero) throw Invalid("FlushInterval cannot be negative");
        if (!Enum.IsDefined(options.Durability)) throw Invalid($"unknown Durability {options.Durability}");
        if (options.CheckpointBytes <= 0) throw Invalid("CheckpointBytes must be positive");
        if (options.CheckpointInterval <= TimeSpan.Zero) throw Invalid("CheckpointInterval must be positive");
        if (options.Workers < 0 || options.WorkerConcurrency < 1 || options.WorkerRestartAfter < 0)
            throw Invalid("Workers and WorkerRestartAfter cannot be negative, WorkerConcurrency must be at least 1");
        if (options.Gc is { } gc && (gc.MinPruneTime < TimeSpan.Zero || gc.Interval <= TimeSpan.Zero))
            throw Invalid("Gc.MinPruneTime cannot be negative and Gc.Interval must be positive");
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
    }

    /// <summary>
    /// Writes a checkpoint: a snapshot of the state at the current log end, taken under the write
    /// lock; then, outside it, the log and index files are synced and the snapshot is written.
    /// </summary>
    public void WriteCheckpoint(bool clean)
    {
        if (!_medium.IsPersistent) return;
        lock (_checkpointLock)
        {
            Checkpoint snapshot;
            lock (_writeLock)
            {
                snapshot = new Checkpoint(_slots.NextGeneration, _writer.Position, clean, _state.Topics.NextId,
                    [.. _state.Topics.All.OrderBy(t => t.Id).Select(t => new TopicCheckpoint(t.Id, t.Name, t.NextSeq, t.FirstSeq, t.LastTimestamp))],
                    _state.CaptureSections());
            }
            _flusher.SyncNow();
            using (_gate.EnterRead()) // the GC frees chunks only through the gate
                Index.IndexFlush.FlushDirty(_state.Topics.All);
            _medium.SyncIndexDirectory();
            _slots.Write(snapshot);
            Volatile.Write(ref _lastCheckpointPosition, snapshot.LogPosition);
        }
    }

    private async Task CheckpointLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _checkpointWanted.WaitAsync(_options.CheckpointInterval, _stopping.Token);
                if (_flusher.Written > Volatile.Read(ref _lastCheckpointPosition)) WriteCheckpoint(clean: false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(e, "Checkpoint failed; the next one will try again (opening replays more log meanwhile)");
            }
        }
    }

    /// <summary>Called after each write: asks for a checkpoint once enough log has accumulated.</summary>
    private void MaybeRequestCheckpoint(long position)
    {
        if (position - Volatile.Read(ref _lastCheckpointPosition) >= _options.CheckpointBytes && _checkpointWanted.CurrentCount == 0)
            _checkpointWanted.Release();
    }

    private void ThrowIfUnusable()
    {
        if (_closed) throw new LogEngineException(LogEngineError.Closed, "the engine is closed");
        if (_poisoned is { } poisoned)
            throw new LogEngineException(LogEngineError.Internal, "an earlier write failed half-way; reopen the store to recover from the log", poisoned);
    }

    /// <summary>Stops writes, waits for reads, writes a clean checkpoint and releases everything.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_closed) return;
            _closed = true;
        }
        _stopping.Cancel();
        _signals.PulseAll();
        _gc.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            _checkpointLoop.Wait();
        }
        catch (AggregateException)
        {
            // already logged by the loop
        }
        try
        {
            if (_poisoned is null) WriteCheckpoint(clean: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Final checkpoint failed; the next open replays the log instead");
        }
        finally
        {
            lock (_writeLock) _writer.DropSpare();
            _flusher.Dispose();
            _gate.Free([.. _state.Topics.All.Select(t => t.Index), .. _segments.Snapshot]);
            _gate.Dispose();
            _medium.Dispose();
            _checkpointWanted.Dispose();
            _stopping.Dispose();
        }
    }
}
