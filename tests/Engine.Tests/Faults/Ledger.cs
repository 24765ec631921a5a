namespace Engine.Tests.Faults;

/// <summary>
/// What the workload was told: which records each call acknowledged, which calls failed with
/// which code (so what must be absent), and how far the consuming proc's acks went. Frozen at a
/// crash: what a call returned after the crash instant was never told to anyone.
/// </summary>
internal sealed class Ledger
{
    private readonly Lock _lock = new();
    private bool _frozen;

    public sealed record Record(string Topic, string Id, byte[] Body);

    public sealed record AckCommitAttempt(int Batch, long ClaimEnd, LogEngineError? Failure);

    public List<Record> Acknowledged { get; } = [];

    /// <summary>Batches whose call failed with DiskFull: nothing of them may be found.</summary>
    public HashSet<int> MustBeAbsent { get; } = [];

    public List<AckCommitAttempt> AckCommits { get; } = [];

    /// <summary>The last record of the consuming proc's topic that an acknowledged ack covered, -1 if none.</summary>
    public long AckedUpTo { get; private set; } = -1;

    /// <summary>Problems seen while the workload ran (wrong error codes and the like).</summary>
    public List<string> Violations { get; } = [];

    public void Freeze()
    {
        lock (_lock) _frozen = true;
    }

    public void Committed(IReadOnlyList<(string Topic, byte[] Body)> records, IReadOnlyList<string> ids) => Add(() =>
    {
        for (var i = 0; i < ids.Count; i++) Acknowledged.Add(new Record(records[i].Topic, ids[i], records[i].Body));
    });

    public void RefusedWithDiskFull(int batch) => Add(() => MustBeAbsent.Add(batch));

    public void Acked(long claimEnd) => Add(() => AckedUpTo = Math.Max(AckedUpTo, claimEnd));

    public void AckCommitted(AckCommitAttempt attempt) => Add(() => AckCommits.Add(attempt));

    public void Violation(string what) => Add(() => Violations.Add(what));

    private void Add(Action change)
    {
        lock (_lock)
            if (!_frozen) change();
    }

    /// <summary>The sequence number of an id <c>&lt;ms&gt;-&lt;seq&gt;</c> (ids of one topic grow with it).</summary>
    public static long Seq(string id) => long.Parse(id.AsSpan(id.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The last id of a proc range (<c>"a..b"</c>, <c>"a"</c>); -1 for <c>""</c>.</summary>
    public static long RangeEnd(string range) =>
        range.Length == 0 ? -1 : Seq(range.Contains("..", StringComparison.Ordinal) ? range[(range.IndexOf("..", StringComparison.Ordinal) + 2)..] : range);
}
