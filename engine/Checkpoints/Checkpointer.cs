using Engine.Log;
using Engine.Storage;
using Engine.Topics;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Checkpoints;

/// <summary>
/// Writes checkpoints: in the background once <c>CheckpointBytes</c> of log has accumulated or
/// <c>CheckpointInterval</c> has passed with anything new, on demand (the GC, before it deletes),
/// and on a clean close. One checkpoint: a snapshot of the state at the log end taken under the
/// writer's lock (a function the store passes in); then, outside it, the log and index
/// files are synced and the snapshot is written into the older slot.
/// A failed sync (of the log, the index or the checkpoint file itself) poisons the store
/// (<see cref="FailureState"/>); a checkpoint file that cannot be written (a full disk) is only logged: the previous checkpoints stay valid, opening replays more
/// log meanwhile, and the next attempt may succeed.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    private readonly IStorageMedium _medium;
    private readonly CheckpointSlots _slots;
    private readonly Flusher _flusher;
    private readonly FailureState _failures;
    private readonly ReclamationGate _gate;
    private readonly Func<long, bool, Checkpoint> _snapshot;
    private readonly Func<IEnumerable<Topic>> _topics;
    private readonly LogEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _writing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly Thread? _thread;
    private long _lastPosition;

    public Checkpointer(IStorageMedium medium, CheckpointSlots slots, Flusher flusher, FailureState failures, ReclamationGate gate,
        Func<long, bool, Checkpoint> snapshot, Func<IEnumerable<Topic>> topics, LogEngineOptions options, ILogger logger)
    {
        _medium = medium;
        _slots = slots;
        _flusher = flusher;
        _failures = failures;
        _gate = gate;
        _snapshot = snapshot;
        _topics = topics;
        _options = options;
        _logger = logger;
        _lastPosition = slots.Newest?.LogPosition ?? 0;
        // A thread of its own, not the thread pool: an application whose callers keep the pool
        // busy (commits that complete at once never yield their threads) would otherwise delay
        // checkpoints, and every replay after a crash would grow with the delay.
        if (!medium.IsPersistent) return;
        _thread = new Thread(Loop) { IsBackground = true, Name = ThreadName };
        _thread.Start();
    }

    /// <summary>Raised when a background checkpoint fails (tests await it instead of guessing).</summary>
    public event Action<Exception>? Failed;

    /// <summary>Writes a checkpoint now; throws if it cannot (a poisoned store, a full disk).</summary>
    public void Write(bool clean)
    {
        if (!_medium.IsPersistent) return;
        lock (_writing)
        {
            _failures.ThrowIfFailed();
            var snapshot = _snapshot(_slots.NextGeneration, clean);
            _flusher.SyncNow();
            try
            {
                using (_gate.EnterRead()) // the GC frees chunks only through the gate
                    Index.IndexFlush.FlushDirty(_topics().Select(t => t.Index));
                _medium.SyncIndexDirectory();
            }
            catch (Exception e) when (StorageFault.IsStorageFailure(e))
            {
                throw _failures.Fail("an fsync of the index files", e);
            }
            try
            {
                _slots.Write(snapshot);
            }
            catch (SyncFailedException e)
            {
                // A checkpoint that could not be written (a full disk) leaves the older one valid;
                // a failed fsync is treated like every other: the store stops vouching for writes.
                throw _failures.Fail("an fsync of a checkpoint", e);
            }
            Volatile.Write(ref _lastPosition, snapshot.LogPosition);
        }
    }

    /// <summary>Called after each write: asks for a checkpoint once enough log has accumulated.</summary>
    public void RequestIfDue(long position)
    {
        if (position - Volatile.Read(ref _lastPosition) >= _options.CheckpointBytes && _wanted.CurrentCount == 0)
            _wanted.Release();
    }

    /// <summary>The name of the thread that writes checkpoints in the background.</summary>
    public const string ThreadName = "engine-checkpointer";

    private void Loop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _wanted.Wait(_options.CheckpointInterval, _stopping.Token);
                if (_failures.IsFailed) continue; // nothing can be vouched for any more; reopening recovers
                if (_flusher.Written > Volatile.Read(ref _lastPosition)) Write(clean: false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is LogEngineException || StorageFault.IsStorageFailure(e))
            {
                // A poisoned store was logged where it failed; a checkpoint file that could not be
                // written is retried at the next interval.
                if (!_failures.IsFailed) _logger.CheckpointFailed(e);
                Failed?.Invoke(e);
            }
            catch (Exception e)
            {
                // A bug: it ends the loop (closing still writes its checkpoint), and is logged.
                _logger.CheckpointLoopEnded(e);
                return;
            }
        }
    }

    /// <summary>Stops the background loop (closing writes its own final checkpoint).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _thread?.Join();
        _wanted.Dispose();
        _stopping.Dispose();
    }
}
