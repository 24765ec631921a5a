namespace Engine.Combining;

/// <summary>
/// Single-record commits waiting for the write lock: a lock-free stack (one compare-and-swap to
/// join, one exchange to take everything), handed out in arrival order. Callers that find the lock
/// busy leave their commit here instead of queueing on the lock, and whoever takes the lock next
/// writes them all as one frame: one append, one apply, however many callers (flat combining).
/// </summary>
internal sealed class CommitQueue
{
    private PendingCommit? _head;

    public bool IsEmpty => Volatile.Read(ref _head) is null;

    public void Push(PendingCommit commit)
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            commit.Next = head;
            if (Interlocked.CompareExchange(ref _head, commit, head) == head) return;
        }
    }

    /// <summary>Takes every waiting commit, oldest first (null when none).</summary>
    public PendingCommit? TakeAll()
    {
        var newestFirst = Interlocked.Exchange(ref _head, null);
        PendingCommit? oldestFirst = null;
        while (newestFirst is not null)
        {
            var next = newestFirst.Next;
            newestFirst.Next = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
        }
        return oldestFirst;
    }
}
