using Engine.Combining;
using Microsoft.Extensions.ObjectPool;

namespace Engine;

/// <summary>
/// Single-record commits from concurrent callers, combined. A caller that finds the write lock
/// free commits alone, as <see cref="CommitOne"/> does. One that finds it busy leaves its commit in
/// a queue and gets a pending task; whoever holds the lock next (the caller itself if the lock has
/// come free, otherwise a combiner scheduled on the thread pool) writes every waiting commit as
/// one frame: one append and one apply for all of them, instead of one lock hand-off, one frame and
/// one pwrite each. Each commit stays atomic (a frame is), and a caller's ids still increase
/// (it awaits one commit before making the next); commits combined share one timestamp.
/// </summary>
internal sealed partial class Store
{
    /// <summary>
    /// Most body bytes written as one combined frame: a burst of callers makes frames of at most
    /// about this size, so the writer's buffer stays at its kept size and no frame nears the limit.
    /// </summary>
    private const int MaxCombinedBytes = 1 << 20;

    private readonly CommitQueue _waitingCommits = new();
    private readonly ObjectPool<PendingCommit> _pendingCommits = new DefaultObjectPool<PendingCommit>(new DefaultPooledObjectPolicy<PendingCommit>(), 1024);
    private readonly List<CommitLog> _combined = [];
    private int _combinerScheduled;

    /// <summary>
    /// Commits one record; completes at once when the lock was free, otherwise once a combined
    /// frame holding it is written. Arguments are checked here, before anything waits.
    /// </summary>
    public ValueTask<CommitReceipt> CommitOneAsync(string topicName, ReadOnlyMemory<byte> body)
    {
        var known = ValidateSingle(topicName, body.Length);
        if (_waitingCommits.IsEmpty && _writeLock.TryEnter())
        {
            CommitReceipt receipt;
            Topics.Topic topic;
            try
            {
                receipt = CommitOneLocked(topicName, known, Now(0), body.Span, out topic);
            }
            finally
            {
                _writeLock.Exit();
            }
            _signals.Pulse(topic.Name);
            return new ValueTask<CommitReceipt>(receipt);
        }
        var pending = _pendingCommits.Get();
        var task = pending.Start(_pendingCommits, topicName, body);
        _waitingCommits.Push(pending);
        if (_writeLock.TryEnter()) CombineAndExit();
        else ScheduleCombiner();
        return task;
    }

    /// <summary>
    /// Makes sure a combiner will take the lock after whoever holds it. One is enough for every
    /// commit queued before it resets the flag: it takes the whole queue once it has the lock.
    /// </summary>
    private void ScheduleCombiner()
    {
        if (Interlocked.Exchange(ref _combinerScheduled, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static store =>
        {
            Interlocked.Exchange(ref store._combinerScheduled, 0);
            store._writeLock.Enter();
            store.CombineAndExit();
        }, this, preferLocal: false);
    }

    /// <summary>
    /// With the write lock held: writes every waiting commit in frames of up to
    /// <see cref="MaxCombinedBytes"/>, releases the lock, then completes the callers' tasks (so
    /// their continuations never run, nor queue, inside the lock).
    /// </summary>
    private void CombineAndExit()
    {
        PendingCommit? all;
        try
        {
            all = _waitingCommits.TakeAll();
            var next = all;
            while (next is not null) next = CommitGroup(next);
        }
        finally
        {
            _writeLock.Exit();
        }
        for (var commit = all; commit is not null;)
        {
            var following = commit.Next; // read first: publishing lets the caller reuse the instance
            commit.Publish();
            commit = following;
        }
    }

    /// <summary>Commits waiting commits from <paramref name="first"/> on as one frame; returns the first one left for the next frame.</summary>
    private PendingCommit? CommitGroup(PendingCommit first)
    {
        _combined.Clear();
        var bytes = 0L;
        var end = first;
        while (end is not null && (_combined.Count == 0 || bytes + end.Body.Length <= MaxCombinedBytes))
        {
            _combined.Add(new CommitLog(end.Topic, end.Body));
            bytes += end.Body.Length;
            end = end.Next;
        }
        try
        {
            if (_combined.Count == 1)
            {
                first.Resolve(CommitOneLocked(first.Topic, null, Now(0), first.Body.Span, out var topic));
                _signals.Pulse(topic.Name);
            }
            else
            {
                var receipt = Commit(_combined);
                var i = 0;
                for (var commit = first; commit is not null && commit != end; commit = commit.Next)
                    commit.Resolve(new CommitReceipt(receipt.Timestamp, null, receipt.EndPosition, receipt.Seqs![i++]));
            }
        }
        catch (Exception e)
        {
            // Nothing of the frame was written (or the store is now poisoned): every commit in it failed alike.
            for (var commit = first; commit is not null && commit != end; commit = commit.Next) commit.Resolve(e);
        }
        _combined.Clear();
        return end;
    }
}
