namespace Engine.Bench.Workloads;

/// <summary>Fills a topic before a workload measures something else (reads, procs, opening).</summary>
internal static class EngineFill
{
    public const int BatchSize = 100;

    /// <summary>Commits <paramref name="count"/> records to <paramref name="topic"/> in batches of 100, the W1 shape.</summary>
    public static async Task CommitAsync(ILogClient client, string topic, int count, ReadOnlyMemory<byte> body)
    {
        var batch = Batch(topic, body, BatchSize);
        var full = count / BatchSize;
        for (var i = 0; i < full; i++) await client.CommitAsync(batch);
        if (count % BatchSize > 0) await client.CommitAsync(Batch(topic, body, count % BatchSize));
    }

    /// <summary>One commit's worth of records; the same list is committed again and again.</summary>
    public static CommitLog[] Batch(string topic, ReadOnlyMemory<byte> body, int size)
    {
        var batch = new CommitLog[size];
        Array.Fill(batch, new CommitLog(topic, body));
        return batch;
    }
}
