namespace Engine.Torture;

/// <summary>
/// Checks a reopened store against the <see cref="Ledger"/> of what its children acknowledged:
/// <list type="bullet">
/// <item>every record read back decodes (CRC, header) and sits in the topic its body names, seqs
///   contiguous, batches in commit order, and <c>LengthAsync</c> agrees with what was read;</item>
/// <item>every acknowledged record is there with exactly its bytes, unless GC was allowed to drop
///   it: never on a pinned topic, on Work only up to what the worker acked, on Ticks by age;</item>
/// <item>no partial batch: a member of a batch found anywhere is present, or lies in a pruned prefix;</item>
/// <item>the worker's ack is not behind an acknowledged ack, nor past what it had claimed; an
///   ack-commit's outputs are never there without its ack; the pins are still active and unacked.</item>
/// </list>
/// </summary>
public static class StoreVerifier
{
    private const int Page = 4096;

    public sealed record Result(IReadOnlyList<string> Failures, long RecordsRead, long AcknowledgedVerified);

    public static async Task<Result> VerifyAsync(LogEngine engine, Ledger ledger, CancellationToken ct = default)
    {
        var failures = new List<string>();
        var topics = new Dictionary<byte, Kept>();
        var batches = new Dictionary<long, BatchSeen>();
        long read = 0;
        foreach (var topic in TortureTopics.All)
        {
            var kept = await ReadTopicAsync(engine, topic, failures, ct);
            topics[topic] = kept;
            read += kept.Records.Count;
            foreach (var (seq, (entry, decoded)) in kept.Records)
            {
                var seen = batches.TryGetValue(decoded.Batch, out var b) ? b : batches[decoded.Batch] = new BatchSeen(decoded.Layout, []);
                if (!seen.Layout.AsSpan().SequenceEqual(decoded.Layout))
                    failures.Add($"batch {decoded.Batch}: {entry.Id} in {TortureTopics.Name(topic)} has another layout than its other members");
                if (!seen.Members.Add(decoded.Index))
                    failures.Add($"batch {decoded.Batch}: member {decoded.Index} found twice");
            }
        }

        var worker = await WorkerAckedAsync(engine, failures, ct);
        CheckWorker(ledger, worker, topics[TortureTopics.Work], topics[TortureTopics.Done], failures);
        await CheckPinsAsync(engine, topics, failures, ct);
        var verified = CheckAcknowledged(ledger, topics, worker, failures);
        CheckBatchesWhole(batches, topics, failures);
        return new Result(failures, read, verified);
    }

    private sealed record Kept(SortedDictionary<long, (LogEntry Entry, RecordBody.Decoded Body)> Records)
    {
        public long? FirstSeq => Records.Count == 0 ? null : Records.Keys.First();

        /// <summary>
        /// Whether a record of this topic from (batch, index) may lie in the pruned prefix: batches
        /// reach a topic in commit order and a batch's records in index order, and GC prunes a
        /// prefix of seqs that can end inside a batch.
        /// </summary>
        public bool PrecedesFirstKept(long batch, int index) =>
            Records.Count == 0 || Records.Values.First().Body is var first && (batch < first.Batch || (batch == first.Batch && index < first.Index));
    }

    private sealed record BatchSeen(byte[] Layout, HashSet<int> Members);

    private static async Task<Kept> ReadTopicAsync(LogEngine engine, byte topic, List<string> failures, CancellationToken ct)
    {
        var name = TortureTopics.Name(topic);
        var records = new SortedDictionary<long, (LogEntry, RecordBody.Decoded)>();
        long length;
        try
        {
            length = await engine.LengthAsync(name, ct);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return new Kept(records); // never committed to
        }
        string? after = null;
        long? previousSeq = null;
        long previousBatch = long.MinValue;
        while (true)
        {
            var page = await engine.RangeAsync(name, new RangeOptions { Start = after, Exclusive = after is not null, Limit = Page }, ct);
            foreach (var entry in page)
            {
                var seq = Ids.Seq(entry.Id);
                if (previousSeq is { } p && seq != p + 1) failures.Add($"{name}: {entry.Id} follows seq {p}: a hole");
                previousSeq = seq;
                var decoded = RecordBody.TryDecode(entry.Body.Span, out var error);
                if (decoded is null)
                {
                    failures.Add($"{name}: {entry.Id} has a damaged body: {error}");
                    continue;
                }
                if (decoded.Topic != topic) failures.Add($"{name}: {entry.Id} holds a record of {TortureTopics.Name(decoded.Topic)}");
                if (decoded.Batch < previousBatch) failures.Add($"{name}: {entry.Id} (batch {decoded.Batch}) after batch {previousBatch}: out of commit order");
                previousBatch = decoded.Batch;
                records[seq] = (entry, decoded);
            }
            if (page.Count < Page) break;
            after = page[^1].Id;
        }
        if (records.Count != length) failures.Add($"{name}: LengthAsync says {length}, reading gave {records.Count}");
        return new Kept(records);
    }

    /// <summary>The seq of the worker's last ack in the store; -1 when it acked nothing or does not exist.</summary>
    private static async Task<long> WorkerAckedAsync(LogEngine engine, List<string> failures, CancellationToken ct)
    {
        try
        {
            var state = await engine.InspectProcAsync(TortureTopics.Worker, ct);
            if (state.Status != ProcStatus.Active) failures.Add($"{TortureTopics.Worker} is {state.Status}");
            return Ids.LastSeq(state.LastAckedRange);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
        {
            return -1;
        }
    }

    private static void CheckWorker(Ledger ledger, long worker, Kept work, Kept done, List<string> failures)
    {
        if (worker < ledger.WorkerAcked) failures.Add($"{TortureTopics.Worker} acked up to seq {worker}, but an ack up to {ledger.WorkerAcked} was acknowledged");
        if (worker > ledger.WorkerClaimed) failures.Add($"{TortureTopics.Worker} acked up to seq {worker}, past anything it was seen to claim ({ledger.WorkerClaimed})");
        if (work.FirstSeq is { } first && first > worker + 1)
            failures.Add($"work: GC pruned below seq {first}, but {TortureTopics.Worker} acked only up to {worker}");
        foreach (var (entry, body) in done.Records.Values)
            if (body.Tag > worker) failures.Add($"done: {entry.Id} is there but the ack of work seq {body.Tag} committed with it is not");
    }

    private static async Task CheckPinsAsync(LogEngine engine, Dictionary<byte, Kept> topics, List<string> failures, CancellationToken ct)
    {
        foreach (var topic in TortureTopics.Pinned)
        {
            if (topics[topic].FirstSeq is { } first && first != 0) failures.Add($"{TortureTopics.Name(topic)}: pinned, yet its first kept seq is {first}");
            if (topics[topic].Records.Count == 0) continue;
            try
            {
                var pin = await engine.InspectProcAsync(TortureTopics.PinProc(topic), ct);
                if (pin.Status != ProcStatus.Active || pin.LastAckedRange.Length != 0)
                    failures.Add($"{pin.Name}: {pin.Status}, acked '{pin.LastAckedRange}': it must stay active and never ack");
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
            {
                failures.Add($"{TortureTopics.PinProc(topic)} is gone while {TortureTopics.Name(topic)} has records");
            }
        }
    }

    private static long CheckAcknowledged(Ledger ledger, Dictionary<byte, Kept> topics, long worker, List<string> failures)
    {
        long verified = 0;
        foreach (var topic in TortureTopics.All)
        {
            var kept = topics[topic];
            var name = TortureTopics.Name(topic);
            foreach (var (seq, expected) in ledger.Records(topic))
            {
                if (kept.Records.TryGetValue(seq, out var found))
                {
                    if (found.Entry.Id != expected.Id) failures.Add($"{name}: acknowledged {expected.Id} reads back as {found.Entry.Id}");
                    else if (!found.Entry.Body.Span.SequenceEqual(expected.Body(topic))) failures.Add($"{name}: acknowledged {expected.Id} reads back with other bytes");
                    else verified++;
                    continue;
                }
                var pruned = !TortureTopics.IsPinned(topic) && (kept.FirstSeq is not { } first || seq < first);
                if (!pruned) failures.Add($"{name}: acknowledged {expected.Id} (batch {expected.Batch}) is lost");
                else if (topic == TortureTopics.Work && seq > worker) failures.Add($"work: acknowledged {expected.Id} was pruned, but {TortureTopics.Worker} acked only up to seq {worker}");
            }
        }
        return verified;
    }

    private static void CheckBatchesWhole(Dictionary<long, BatchSeen> batches, Dictionary<byte, Kept> topics, List<string> failures)
    {
        foreach (var (batch, seen) in batches)
        {
            for (var index = 0; index < seen.Layout.Length; index++)
            {
                if (seen.Members.Contains(index)) continue;
                var topic = seen.Layout[index];
                var kept = topics[topic];
                // A member older than its topic's first kept record may have been pruned; any other
                // missing member means a partial batch.
                var mayBePruned = !TortureTopics.IsPinned(topic) && kept.PrecedesFirstKept(batch, index);
                if (!mayBePruned)
                    failures.Add($"batch {batch} is partial: {seen.Members.Count} of {seen.Layout.Length} records, member {index} ({TortureTopics.Name(topic)}) missing");
            }
        }
    }
}
