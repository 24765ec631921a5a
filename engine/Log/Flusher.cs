namespace Engine.Log;

/// <summary>
/// Makes written frames durable, one fsync for everything written so far (group commit): under
/// <see cref="Durability.Always"/> committers wait for the fsync that covers them and all of them
/// share it; under <see cref="Durability.Batched"/> a dedicated thread fsyncs at most every
/// <c>FlushInterval</c> while anything is unsynced; under <see cref="Durability.None"/> only a
/// checkpoint or closing syncs.
/// One sync cycle: swap in a new completion, read the written position, fsync the segments it
/// touches, publish it as durable, complete the old completion. A committer that wrote before it
/// read the completion is therefore always covered by the cycle that completes it, and every
/// committer that waits asks the flusher thread for that cycle (even when an earlier cycle, in
/// progress as it read the completion, is the one that makes its bytes durable).
/// </summary>
internal sealed class Flusher : IDisposable
{
    private readonly SegmentCatalog _segments;
    private readonly FailureState _failures;
    private readonly Durability _durability;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _syncLock = new();
    private readonly Thread _thread;
    private TaskCompletionSource _nextSync = NewCompletion();
    private long _written;
    private long _durable;
    private volatile bool _stopping;

    public Flusher(SegmentCatalog segments, FailureState failures, Durability durability, TimeSpan interval, long position)
    {
        _segments = segments;
        _failures = failures;
        _durability = durability;
        _interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : interval;
        _written = _durable = position;
        _thread = new Thread(Run) { IsBackground = true, Name = "engine-flusher" };
        if (durability != Durability.None) _thread.Start();
    }

    /// <summary>Everything before this is written (to the page cache at least).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Everything before this is on stable storage.</summary>
    public long Durable => Volatile.Read(ref _durable);

    /// <summary>The writer moved the log end; called under the write lock, in log order.</summary>
    public void MarkWritten(long position) => Volatile.Write(ref _written, position);

    /// <summary>Completes once <paramref name="position"/> is durable (and wakes the flusher to make it so).</summary>
    public ValueTask WaitDurableAsync(long position)
    {
        if (Durable >= position) return ValueTask.CompletedTask;
        return new ValueTask(WaitSlowAsync(position));
    }

    private async Task WaitSlowAsync(long position)
    {
        while (Durable < position)
        {
            _failures.ThrowIfFailed();
            var completion = Volatile.Read(ref _nextSync);
            if (Durable >= position) break;
            _wake.Release();
            await completion.Task;
        }
    }

    /// <summary>Syncs everything written now, on the calling thread (checkpoints and closing); a failure poisons the store.</summary>
    public void SyncNow()
    {
        lock (_syncLock) SyncCycle();
    }

    private void Run()
    {
        while (!_stopping)
        {
            var asked = _durability == Durability.Batched ? _wake.Wait(_interval) : _wake.Wait(Timeout.Infinite);
            if (_stopping) break;
            try
            {
                lock (_syncLock)
                {
                    // Drain the wake-ups this cycle will satisfy anyway.
                    while (_wake.CurrentCount > 0) _wake.Wait(0);
                    // A waiter that asked runs a cycle even with nothing new to sync: it may wait on
                    // the completion a cycle in progress (SyncNow's, on another thread) had just
                    // swapped in, which that cycle does not complete; with nothing new written, no
                    // later cycle would either, and the commit would wait forever.
                    if (asked || Written > Durable) SyncCycle();
                }
            }
            catch (LogEngineException)
            {
                // The store is poisoned (SyncCycle said so and failed every waiter): there is
                // nothing left for this thread to make durable.
                return;
            }
        }
    }

    /// <summary>
    /// One fsync of everything written. After a failed fsync the page cache can no longer be
    /// trusted to hold what it claims (see fsyncgate): the store is poisoned for writes and every
    /// durable wait fails; nothing pretends.
    /// </summary>
    private void SyncCycle()
    {
        var completing = Interlocked.Exchange(ref _nextSync, NewCompletion());
        try
        {
            // Checked inside: when another part of the store failed (a checkpoint, the spare, the
            // GC) while committers wait for this cycle, they must get the failure, not wait forever.
            _failures.ThrowIfFailed();
            var target = Written;
            var from = Durable;
            if (target > from)
            {
                var started = Telemetry.EngineMetrics.StartTiming(Telemetry.EngineMetrics.FsyncDuration);
                foreach (var segment in _segments.Snapshot)
                {
                    if (segment.EndPosition > from && segment.BasePosition < target) segment.Region.Flush();
                }
                Telemetry.EngineMetrics.RecordSince(Telemetry.EngineMetrics.FsyncDuration, started);
                Volatile.Write(ref _durable, target);
            }
            completing.TrySetResult();
        }
        catch (Exception e)
        {
            var failure = e as LogEngineException ?? _failures.Fail("an fsync of the log", e);
            completing.TrySetException(failure);
            Volatile.Read(ref _nextSync).TrySetException(failure);
            throw failure;
        }
    }

    /// <summary>Whether the flusher thread is still syncing (false after a failed fsync stopped it).</summary>
    public bool IsRunning => _thread.IsAlive;

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        if (_thread.IsAlive) _thread.Join();
        Volatile.Read(ref _nextSync).TrySetResult();
        _wake.Dispose();
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
