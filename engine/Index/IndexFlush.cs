namespace Engine.Index;

/// <summary>
/// Makes the index chunks changed since the last checkpoint durable before the next checkpoint
/// vouches for them. Each chunk is its own file, so that is one fsync per changed chunk: after one
/// commit that creates 10,000 topics, 10,000 fsyncs. Issued one after another, each waits for its
/// own journal commit; issued several at once, the file system folds them into shared journal
/// commits (ext4 and XFS both do), so they are run a few at a time.
/// </summary>
internal static class IndexFlush
{
    /// <summary>fsyncs in flight at once: enough for the journal to batch them, few enough to leave the machine its threads.</summary>
    private const int Parallelism = 16;

    /// <summary>Below this many dirty chunks, one thread does it: starting workers costs more than it saves.</summary>
    private const int SerialBelow = 8;

    public static void FlushDirty(IEnumerable<TopicIndex> indexes)
    {
        var dirty = new List<IndexChunk>();
        foreach (var index in indexes) index.CollectDirty(dirty);
        if (dirty.Count < SerialBelow)
        {
            foreach (var chunk in dirty) chunk.FlushIfDirty();
            return;
        }
        // Threads of its own, not the pool's: a 2-core pool would run two blocking fsyncs at a time
        // and add threads only slowly.
        var next = -1;
        Exception? failure = null;
        var threads = new Thread[Math.Min(Parallelism, dirty.Count / (SerialBelow / 2))];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < dirty.Count && Volatile.Read(ref failure) is null)
                {
                    try
                    {
                        dirty[index].FlushIfDirty();
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                }
            })
            { IsBackground = true, Name = "Engine index flush" };
            threads[i].Start();
        }
        foreach (var thread in threads) thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
