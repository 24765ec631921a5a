namespace Engine.Procs;

/// <summary>What <see cref="ManageOperation"/> does to a proc.</summary>
internal enum ProcAction
{
    /// <summary>Only settles an expired claim, so the state read next is current.</summary>
    Inspect,
    Disable,
    Resume,
    Destroy,
}

/// <summary>
/// Inspect, disable, resume and destroy. Each first settles a claim past its timeout, so what is
/// returned is the state as if the automatic reclaim had happened on time.
/// </summary>
internal sealed class ManageOperation(ProcContext context, string procName, ProcAction action) : ProcOperation(context)
{
    /// <summary>The state before a destroy (the proc is gone after it).</summary>
    public ProcState? Before { get; private set; }

    protected override void Decide()
    {
        var proc = Context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName);
        if (action == ProcAction.Destroy)
        {
            Before = proc.ToState();
            Add(ProcEntries.Destroyed(proc.Id));
            return;
        }
        if (action == ProcAction.Resume && proc.Status == ProcStatus.Active) throw ProcErrors.AlreadyActive(procName);
        ReclaimIfExpired(proc, Context.NowMs());
        FailAfterWrite = null; // settling a claim is not a failure of inspect, disable or resume
        // Disabling after a reclaim that disabled it already is harmless: the status stays disabled.
        if (action == ProcAction.Disable && proc.Status == ProcStatus.Active) Add(ProcEntries.StatusChanged(proc.Id, ProcStatus.Disabled));
        if (action == ProcAction.Resume) Add(ProcEntries.StatusChanged(proc.Id, ProcStatus.Active));
    }
}
