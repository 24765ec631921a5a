using System.Globalization;

namespace Engine.Torture;

/// <summary>
/// The child's workload: atomic batches across pinned and prunable topics, a proc that claims from
/// <see cref="TortureTopics.Work"/> and acks or ack-commits to <see cref="TortureTopics.Done"/>, and
/// explicit garbage collections (beside the periodic ones). Each operation is reported on
/// <c>output</c>, one line flushed at a time, only after the engine call returned: a reported
/// operation is acknowledged. Lines end with " ;" so that one cut by the kill is recognisable.
/// </summary>
public sealed class Committer(LogEngine engine, TextWriter output, int seed, long batchBase)
{
    private static readonly ProcOptions PinOptions = new() { Count = 1, MaxReclaims = -1, ReclaimTimeout = TimeSpan.FromDays(365) };

    private readonly Random _random = new(seed);
    private long _nextBatch = batchBase;
    private long _lastClaimed = -1;

    /// <summary>The options a child opens its store with: 1 MiB segments and an eager GC.</summary>
    public static LogEngineOptions StoreOptions(Durability durability, int seed) => new()
    {
        Durability = durability,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        Workers = 0,
        // Checkpoints often, so kills land during them too and reopen replays little.
        CheckpointBytes = 2 * LogEngineOptions.MinSegmentSize,
        // Ticks keep the last moments; every acked Work record may go at once.
        Gc = new GcOptions { MinPruneTime = TimeSpan.FromMilliseconds(200), Interval = TimeSpan.FromMilliseconds(100 + seed % 400) },
    };

    /// <summary>Pins the pinned topics, gives back a claim a killed predecessor left open, prints READY.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        foreach (var topic in TortureTopics.Pinned)
            await engine.ProcAsync(TortureTopics.Name(topic), PinOptions with { Name = TortureTopics.PinProc(topic) }, ct);
        try
        {
            await engine.ReclaimProcAsync(TortureTopics.Worker, ct);
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.NothingToReclaim or LogEngineError.ProcNotFound)
        {
        }
        // The worker exists before anything reaches Work: a topic without procs is pruned by age
        // alone, and the verifier holds GC to the worker's acks.
        if (await ClaimWorkAsync(1, ct) > 0) Report($"A {await engine.AckAsync(TortureTopics.Worker, ct)}");
        Report("READY");
    }

    /// <summary>Runs <paramref name="operations"/> operations (forever when negative).</summary>
    public async Task RunAsync(long operations, CancellationToken ct = default)
    {
        for (long i = 0; operations < 0 || i < operations; i++)
        {
            var dice = _random.Next(100);
            if (dice < 55) await CommitBatchAsync(ct);
            else if (dice < 90) await WorkAsync(ct);
            else if (dice < 93) await CollectAsync(ct);
            else if (dice < 97) await CommitOneAsync(ct);
            else await CommitTickBurstAsync(ct);
        }
    }

    private async Task CommitBatchAsync(CancellationToken ct)
    {
        var layout = new List<byte>();
        for (var i = _random.Next(1, 4); i > 0; i--) layout.Add((byte)_random.Next(TortureTopics.Keep0, TortureTopics.Keep2 + 1));
        for (var i = _random.Next(0, 3); i > 0; i--) layout.Add(TortureTopics.Work);
        for (var i = _random.Next(0, 21); i > 0; i--) layout.Add(TortureTopics.Ticks);
        var order = layout.ToArray();
        _random.Shuffle(order);
        var batch = _nextBatch++;
        var logs = new CommitLog[order.Length];
        for (var i = 0; i < order.Length; i++)
            logs[i] = new CommitLog(TortureTopics.Name(order[i]), RecordBody.Build(order[i], batch, i, order));
        var ids = await engine.CommitAsync(logs, ct);
        Report($"C {batch} {string.Join(' ', order.Select((topic, i) => $"{topic}:{ids[i]}"))}");
    }

    private async Task CommitOneAsync(CancellationToken ct)
    {
        var topic = (byte)_random.Next(TortureTopics.Keep0, TortureTopics.Keep2 + 1);
        var batch = _nextBatch++;
        var id = await engine.CommitAsync(TortureTopics.Name(topic), RecordBody.Build(topic, batch, 0, [topic]), ct);
        Report($"C {batch} {topic}:{id}");
    }

    /// <summary>
    /// Thousands of tiny Ticks records in one batch: index chunks (65,536 slots) fill up within a
    /// store's life, so GC deletes chunks too. Reported as "first id * count": one topic's records of
    /// one batch have consecutive seqs under one timestamp.
    /// </summary>
    private async Task CommitTickBurstAsync(CancellationToken ct)
    {
        var layout = Enumerable.Repeat(TortureTopics.Ticks, _random.Next(500, 3001)).ToArray();
        var batch = _nextBatch++;
        var ids = await engine.CommitAsync([.. layout.Select((topic, i) => new CommitLog(TortureTopics.Name(topic), RecordBody.Build(topic, batch, i, layout)))], ct);
        Report($"C {batch} {TortureTopics.Ticks}:{ids[0]}*{ids.Count}");
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        var claimed = await ClaimWorkAsync(_random.Next(1, 17), ct);
        if (claimed == 0) return;
        if (_random.Next(2) == 0)
        {
            Report($"A {await engine.AckAsync(TortureTopics.Worker, ct)}");
            return;
        }
        var tag = _lastClaimed;
        var layout = Enumerable.Repeat(TortureTopics.Done, _random.Next(1, 4)).ToArray();
        var batch = _nextBatch++;
        var logs = layout.Select((topic, i) => new CommitLog(TortureTopics.Name(topic), RecordBody.Build(topic, batch, i, layout, tag))).ToArray();
        var result = await engine.AckCommitAsync(TortureTopics.Worker, logs, ct);
        Report($"AC {result.AckedRange} {batch} {string.Join(' ', result.CommittedIds)}");
    }

    /// <summary>Claims up to <paramref name="count"/> Work records and reports the claim; returns how many.</summary>
    private async Task<int> ClaimWorkAsync(int count, CancellationToken ct)
    {
        var claimed = await engine.ProcAsync(TortureTopics.Name(TortureTopics.Work),
            new ProcOptions { Name = TortureTopics.Worker, Count = count, MaxReclaims = -1, ReclaimTimeout = TimeSpan.FromDays(1) }, ct);
        if (claimed.Count == 0) return 0;
        _lastClaimed = Ids.Seq(claimed[^1].Id);
        Report($"CL {claimed[0].Id}..{claimed[^1].Id}");
        return claimed.Count;
    }

    private async Task CollectAsync(CancellationToken ct)
    {
        var report = await engine.CollectGarbageAsync(ct);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"G {report.RecordsPruned} {report.RecordsRelocated} {report.SegmentsDeleted} {report.IndexChunksDeleted}"));
    }

    private void Report(string line)
    {
        output.Write(line);
        output.Write(" ;\n");
        output.Flush();
    }
}
