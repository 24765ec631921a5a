namespace Engine.Tests.Faults;

/// <summary>
/// Opens what a fault or crash left and holds it to the ledger: the store opens; every record
/// reads back with bytes that vouch for themselves, in the topic it was written to; no batch is
/// found in part; every acknowledged record is there (unless the consumer had acked it and the
/// GC may have pruned it); nothing of a call refused with DiskFull is; an ack-commit's ack and
/// records are both there or both not; the consumer's acks are not behind what was acknowledged;
/// and the store takes new writes.
/// </summary>
internal static class Verifier
{
    public static async Task<List<string>> CheckAsync(SimulatedDisk disk, Ledger ledger, LogEngineOptions options, string context)
    {
        var problems = new List<string>();
        LogEngine engine;
        try
        {
            engine = LogEngine.OpenOn(new FaultyMedium(disk, FaultPlan.CountOnly(), 0), options);
        }
        catch (Exception e)
        {
            problems.Add($"{context}: the store does not open: {(e is LogEngineException le ? le.Code + ": " : e.GetType().Name + ": ")}{e.Message}");
            return problems;
        }
        await using (engine)
        {
            if (Environment.GetEnvironmentVariable("ENGINE_FAULTS_DEBUG") == "1")
                problems.Add($"{context}: (debug, ENGINE_FAULTS_DEBUG=1) recovery: {engine.LastRecovery}; files: {string.Join(", ", disk.AllNames())}");
            var found = new Dictionary<string, (string Topic, byte[] Body)>(StringComparer.Ordinal);
            var batches = new Dictionary<int, List<(RecordBody Body, long Seq)>>();
            foreach (var topic in FaultWorkload.Topics)
            {
                foreach (var entry in await ReadAllAsync(engine, topic))
                {
                    var body = entry.Body.ToArray();
                    found[topic + "/" + entry.Id] = (topic, body);
                    if (RecordBody.Parse(body) is not { } parsed || parsed.Topic != topic)
                    {
                        problems.Add($"{context}: {topic} {entry.Id} reads back bytes that were never written");
                        continue;
                    }
                    if (!batches.TryGetValue(parsed.Batch, out var members)) batches[parsed.Batch] = members = [];
                    members.Add((parsed, Ledger.Seq(entry.Id)));
                }
            }

            var ackedUpTo = await AckedUpToAsync(engine);
            foreach (var (batch, members) in batches)
            {
                if (!IsWhole(members, ackedUpTo))
                    problems.Add($"{context}: batch {batch} is there in part ({members.Count} of {members[0].Body.Count} records)");
                if (ledger.MustBeAbsent.Contains(batch))
                    problems.Add($"{context}: batch {batch} was refused with DiskFull, yet is there");
            }

            if (ackedUpTo < ledger.AckedUpTo)
                problems.Add($"{context}: the consumer's acks reach seq {ackedUpTo}, but acks up to {ledger.AckedUpTo} were acknowledged");

            foreach (var record in ledger.Acknowledged)
            {
                if (found.TryGetValue(record.Topic + "/" + record.Id, out var there))
                {
                    if (!there.Body.AsSpan().SequenceEqual(record.Body)) problems.Add($"{context}: {record.Topic} {record.Id} has other bytes than were committed");
                }
                else if (record.Topic != FaultWorkload.Churn || Ledger.Seq(record.Id) > ackedUpTo)
                {
                    problems.Add($"{context}: acknowledged record {record.Topic} {record.Id} is gone");
                }
            }

            foreach (var attempt in ledger.AckCommits.Where(a => a.Failure is not LogEngineError.DiskFull))
            {
                var outputs = batches.ContainsKey(attempt.Batch);
                var acked = ackedUpTo >= attempt.ClaimEnd;
                if (outputs != acked)
                    problems.Add($"{context}: ack-commit {attempt.Batch} is there in part (records {(outputs ? "there" : "gone")}, ack {(acked ? "there" : "gone")})");
            }

            try
            {
                await engine.CommitAsync(FaultWorkload.Pinned, RecordBody.Make(1, 0, 1, FaultWorkload.Pinned, 50, new Random(0)));
            }
            catch (LogEngineException e)
            {
                problems.Add($"{context}: the reopened store refuses a commit: {e.Code}: {e.Message}");
            }
        }
        return problems;
    }

    /// <summary>
    /// All of a batch is there; or, for a churn batch, all but a prefix the GC may have pruned (its
    /// records are consecutive in the topic, so the missing ones are all at or below the consumer's acks).
    /// </summary>
    private static bool IsWhole(List<(RecordBody Body, long Seq)> members, long ackedUpTo)
    {
        var count = members[0].Body.Count;
        if (members.Select(m => m.Body.Index).Distinct().Count() != members.Count) return false;
        if (members.Count == count) return true;
        var first = members.MinBy(m => m.Body.Index);
        return first.Body.Topic == FaultWorkload.Churn
            && members.Select(m => m.Body.Index).Order().SequenceEqual(Enumerable.Range(first.Body.Index, count - first.Body.Index))
            && first.Seq - 1 <= ackedUpTo;
    }

    private static async Task<IReadOnlyList<LogEntry>> ReadAllAsync(LogEngine engine, string topic)
    {
        try
        {
            return await engine.RangeAsync(topic);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return []; // never committed to (or not before the fault)
        }
    }

    /// <summary>How far the consumer's acks reach; -1 when it has none (or was never made: a fault came first).</summary>
    private static async Task<long> AckedUpToAsync(LogEngine engine)
    {
        try
        {
            return Ledger.RangeEnd((await engine.InspectProcAsync(FaultWorkload.Consumer)).LastAckedRange);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
        {
            return -1;
        }
    }
}
