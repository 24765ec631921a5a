using Engine.Log;

namespace Engine.Procs;

/// <summary>
/// A proc call as a frame extension: <see cref="Decide"/> runs under the store's write lock,
/// looks at the state, and either throws (nothing is written) or adds the entries that say what
/// happens; the store writes them (with any records) as one frame and applies it, so the state
/// changes only through the log. <see cref="FailAfterWrite"/> is for a call that fails yet must
/// record something first: a claim that expired is reclaimed automatically, then the ack fails.
/// </summary>
internal abstract class ProcOperation(ProcContext context) : Store.IFrameExtension
{
    private readonly List<PendingEntry> _entries = [];

    protected ProcContext Context { get; } = context;

    /// <summary>The error to throw once the entries are written.</summary>
    public LogEngineException? FailAfterWrite { get; protected set; }

    public bool SuppressRecords => FailAfterWrite is not null;

    public int Prepare()
    {
        _entries.Clear();
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
        Add(ProcEntries.Reclaimed(proc.Id, now, automatic: true));
        Telemetry.EngineMetrics.Reclaims.Add(1);
        if (proc.NextReclaimDisables) FailAfterWrite = ProcErrors.Disabled(proc.Name, "its claim timed out once too often");
        return true;
    }
}
