namespace Engine.Procs;

/// <summary><c>ReclaimProcAsync</c>: gives the open claim back; its records will be claimed again.</summary>
internal sealed class ReclaimOperation(ProcContext context, string procName) : ProcOperation(context)
{
    public ProcRange Reclaimed { get; private set; }

    protected override void Decide()
    {
        var proc = Context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName);
        if (proc.Status == ProcStatus.Disabled) throw ProcErrors.Disabled(procName);
        if (!proc.HasOpenClaim) throw ProcErrors.NothingToReclaim(procName);
        var now = Context.NowMs();
        if (ReclaimIfExpired(proc, now))
        {
            FailAfterWrite ??= ProcErrors.NothingToReclaim(procName, $"its claim {proc.LastClaimed} timed out and was reclaimed already");
            return;
        }
        Reclaimed = proc.LastClaimed;
        Add(ProcEntries.Reclaimed(proc.Id, now, automatic: false));
    }
}
