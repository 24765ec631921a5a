using Engine.Log;

namespace Engine.Procs;

/// <summary>
/// A proc call as a frame extension: <see cref="Decide"/> runs under the store's write lock,
/// looks at the state, and either throws (nothing is written) or adds the entries that say what
/// happens; the store writes them (with any records) as one frame and applies it, so the state
/// changes only through the log. <see cref="FailAfterWrite"/> is for a call that fails yet must
/// record something first: a claim that expired is reclaimed automatically, then the ack fails.
/// </summary>
internal abstract class ProcOperation(ProcContext context) : Log.IFrameExtension
{
    private readonly List<PendingEntry> _entries = [];
    private readonly List<CommitLog> _records = [];

    protected ProcContext Context { get; } = context;

    /// <summary>The error to throw once the entries are written.</summary>
    public LogEngineException? FailAfterWrite { get; protected set; }

    public bool SuppressRecords => FailAfterWrite is not null;

    /// <summary>Dead letters this operation commits in its frame.</summary>
    public IReadOnlyList<CommitLog> Records => _records;

    /// <summary>The claim this operation moved to the dead-letter topic (empty if none).</summary>
    public ProcRange DeadLettered { get; private set; }

    /// <summary>The proc whose claim went to its dead-letter topic, for the metric's tag (null if none).</summary>
    public string? DeadLetteredProc { get; private set; }

    public int Prepare()
    {
        _entries.Clear();
        _records.Clear();
        DeadLettered = ProcRange.Empty;
        DeadLetteredProc = null;
        FailAfterWrite = null;
        Decide();
        var length = 0;
        foreach (var entry in _entries) length += entry.PaddedLength;
        return length;
    }

    public void Write(ref FrameWriter writer)
    {
        foreach (var entry in _entries) writer.AddPending(entry);
    }

    protected abstract void Decide();

    protected void Add(PendingEntry entry) => _entries.Add(entry);

    /// <summary>
    /// If <paramref name="proc"/>'s open claim has outlived its timeout, records the automatic
    /// reclaim and returns true; <see cref="FailAfterWrite"/> becomes ProcIsDisabled when that
    /// reclaim reaches the limit.
    /// </summary>
    protected bool ReclaimIfExpired(ProcRecord proc, long now)
    {
        if (proc.Status != ProcStatus.Active || !proc.HasOpenClaim || now < proc.ClaimExpiresAtMs) return false;
        if (proc.NextReclaimDeadLetters)
        {
            MoveToDeadLetters(proc, now, Context.LastError(proc.Name));
            return true;
        }
        Add(ProcEntries.Reclaimed(proc.Id, now, automatic: true));
        Telemetry.EngineMetrics.Reclaims.Add(1);
        if (proc.NextReclaimDisables) FailAfterWrite = ProcErrors.Disabled(proc.Name, "its claim timed out once too often");
        return true;
    }

    /// <summary>
    /// The reclaim that reaches the limit under <see cref="OnMaxReclaims.DeadLetter"/>: each record
    /// of the open claim becomes a <see cref="DeadLetter"/> JSON record of the dead-letter topic,
    /// and the claim is acked (flagged as dead-lettered) in the same frame, so a crash leaves both
    /// or neither. Reclaims go back to 0, as after any ack, and the proc goes on after the claim.
    /// Records the GC already pruned (it never prunes an open claim of an active proc) are skipped.
    /// </summary>
    protected void MoveToDeadLetters(ProcRecord proc, long now, string? error)
    {
        var range = proc.LastClaimed;
        var topic = Context.TopicOf(proc.Topic);
        if (topic is not null)
        {
            var first = Math.Max(range.FirstSeq, topic.FirstSeq);
            if (range.LastSeq >= first)
            {
                foreach (var entry in Context.Store.ReadSeqs(topic, first, range.LastSeq - first + 1))
                    _records.Add(CommitLog.Json(proc.DeadLetterTopic!, new DeadLetter(proc.Topic, entry.Id, proc.Name, proc.Reclaims + 1, error, entry.Body)));
            }
        }
        Add(ProcEntries.Acked(proc.Id, now, deadLettered: true));
        Context.ForgetError(proc.Name);
        DeadLettered = range;
        DeadLetteredProc = proc.Name;
    }
}
