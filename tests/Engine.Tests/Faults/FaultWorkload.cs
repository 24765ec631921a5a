namespace Engine.Tests.Faults;

/// <summary>
/// The fixed workload every fault and crash is injected into: atomic batches across topics,
/// single commits, a consuming proc that acks and ack-commits, and GC that prunes what the
/// consumer acked, relocates what the pinned topics keep, and deletes segments; with 1 MiB
/// segments and frequent checkpoints, so rolls and checkpoints happen many times. Each call's
/// outcome goes to the <see cref="Ledger"/>, and each failure is checked for its code.
/// </summary>
internal sealed class FaultWorkload(LogEngine engine, Ledger ledger, FaultPlan plan, int seed)
{
    /// <summary>Records here are acked by the consumer and pruned by the GC.</summary>
    public const string Churn = "churn";

    /// <summary>Held back by a proc whose claim stays open: never pruned, relocated by the GC.</summary>
    public const string Pinned = "pinned";

    /// <summary>Held back like <see cref="Pinned"/>: batches span the two.</summary>
    public const string Side = "side";

    /// <summary>What the consumer ack-commits; held back like <see cref="Pinned"/>.</summary>
    public const string Output = "out";

    public static readonly string[] Topics = [Churn, Pinned, Side, Output];

    public const string Consumer = "eater";

    public static readonly ProcOptions ConsumerOptions = new() { Name = Consumer, Count = 5, MaxReclaims = -1, ReclaimTimeout = TimeSpan.FromDays(1) };

    public static LogEngineOptions Options(Durability durability) => new()
    {
        Durability = durability,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        CheckpointBytes = 256 * 1024,
        CheckpointInterval = TimeSpan.FromHours(1),
        Gc = new GcOptions { MinPruneTime = TimeSpan.Zero, Interval = TimeSpan.FromHours(1) },
        Workers = 0,
    };

    private readonly Random _random = new(seed);
    private int _batch = 1000;
    private IReadOnlyList<LogEntry>? _openClaim;
    private bool _poisoned;

    /// <summary>Records and procs every run starts from (made once, with no fault): the pinned topics' holders.</summary>
    public static async Task<IReadOnlyList<Ledger.Record>> SetUpAsync(LogEngine engine)
    {
        var random = new Random(1);
        var records = new List<Ledger.Record>();
        var batch = 0;
        foreach (var topic in new[] { Pinned, Side, Output })
        {
            var body = RecordBody.Make(++batch, 0, 1, topic, 100, random);
            records.Add(new Ledger.Record(topic, await engine.CommitAsync(topic, body), body));
            await engine.ProcAsync(topic, new ProcOptions { Name = "holder-" + topic, MaxReclaims = -1, ReclaimTimeout = TimeSpan.FromDays(365) });
        }
        return records;
    }

    public async Task RunAsync(int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            if (plan.Crash is not null && plan.Fired) return; // the machine is gone
            var roll = _random.Next(100);
            if (roll < 40) await CommitBatchAsync();
            else if (roll < 55) await CommitOneAsync();
            else if (roll < 85) await ConsumeAsync();
            else if (roll < 92) await CollectAsync();
            else await CommitOneAsync();
            if (_poisoned) return; // after StoreFailed only a reopen helps; what it recovers is checked next
        }
    }

    private async Task CommitBatchAsync()
    {
        var count = 1 + _random.Next(4);
        var batch = ++_batch;
        // A batch is all churn (the GC may prune a prefix of it) or all held (never pruned), so a
        // batch found in part is always a fault, never the GC's doing.
        var held = _random.Next(3) == 0;
        var records = Enumerable.Range(0, count)
            .Select(i => held ? (_random.Next(2) == 0 ? Pinned : Side) : Churn)
            .Select((topic, i) => (topic, RecordBody.Make(batch, i, count, topic, 4000 + _random.Next(16_000), _random)))
            .ToList();
        await Attempt("a batch commit", batch, async () =>
        {
            var ids = await engine.CommitAsync([.. records.Select(r => new CommitLog(r.topic, r.Item2))]);
            ledger.Committed(records, ids);
        });
    }

    private async Task CommitOneAsync()
    {
        var batch = ++_batch;
        var topic = _random.Next(4) == 0 ? Pinned : Churn;
        var body = RecordBody.Make(batch, 0, 1, topic, 1000 + _random.Next(12_000), _random);
        await Attempt("a commit", batch, async () =>
        {
            var id = await engine.CommitAsync(topic, body);
            ledger.Committed([(topic, body)], [id]);
        });
    }

    private async Task ConsumeAsync()
    {
        if (_openClaim is null)
        {
            var claimed = await Attempt("a claim", null, async () => _openClaim = await engine.ProcAsync(Churn, ConsumerOptions));
            if (!claimed || _openClaim is not { Count: > 0 }) { _openClaim = null; return; }
        }
        var claimEnd = Ledger.Seq(_openClaim[^1].Id);
        if (_random.Next(2) == 0)
        {
            if (await Attempt("an ack", null, async () => await engine.AckAsync(Consumer)))
            {
                ledger.Acked(claimEnd);
                _openClaim = null;
            }
            return;
        }
        var batch = ++_batch;
        var outputs = _openClaim.Select((e, i) => (Output, RecordBody.Make(batch, i, _openClaim.Count, Output, e.Body.Length / 2 + 10, _random))).ToList();
        LogEngineError? failure = null;
        var done = await Attempt("an ack-commit", batch, async () =>
        {
            var result = await engine.AckCommitAsync(Consumer, [.. outputs.Select(o => new CommitLog(o.Output, o.Item2))]);
            ledger.Committed(outputs, result.CommittedIds);
            ledger.Acked(claimEnd);
        }, code => failure = code);
        ledger.AckCommitted(new Ledger.AckCommitAttempt(batch, claimEnd, failure));
        if (done) _openClaim = null;
    }

    private Task CollectAsync() => Attempt("a GC run", null, async () => await engine.CollectGarbageAsync());

    /// <summary>Runs one call; a failure must be DiskFull (nothing written, and the next write works) or StoreFailed.</summary>
    private async Task<bool> Attempt(string what, int? batch, Func<Task> call, Action<LogEngineError>? failed = null)
    {
        try
        {
            await call();
            return true;
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.DiskFull)
        {
            failed?.Invoke(e.Code);
            if (batch is { } b) ledger.RefusedWithDiskFull(b);
            if (plan.Errno != FaultPlan.Enospc || plan.Op == StorageOp.Flush) ledger.Violation($"{what} got DiskFull from {plan}: {e.Message}");
            await CheckWritableAgainAsync(what);
            return false;
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.StoreFailed)
        {
            failed?.Invoke(e.Code);
            _poisoned = true;
            if (!plan.Fired) ledger.Violation($"{what} got StoreFailed with no fault injected: {e.Message}");
            return false;
        }
        catch (Exception e)
        {
            ledger.Violation($"{what} threw {(e is LogEngineException le ? le.Code.ToString() : e.GetType().Name)} after {plan}: {e.Message}");
            _poisoned = true;
            return false;
        }
    }

    /// <summary>The fault fired once; after DiskFull the very next write must work.</summary>
    private async Task CheckWritableAgainAsync(string what)
    {
        var batch = ++_batch;
        var body = RecordBody.Make(batch, 0, 1, Pinned, 100, _random);
        try
        {
            var id = await engine.CommitAsync(Pinned, body);
            ledger.Committed([(Pinned, body)], [id]);
        }
        catch (LogEngineException e)
        {
            ledger.Violation($"after {what} got DiskFull, the next commit failed too: {e.Code}: {e.Message}");
            _poisoned = true;
        }
    }
}
