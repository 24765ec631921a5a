namespace Engine.Procs;

/// <summary>
/// <c>ReclaimProcAsync</c>: gives the open claim back; its records will be claimed again, unless
/// this reclaim reaches the limit under <see cref="OnMaxReclaims.DeadLetter"/>, which moves them to
/// the dead-letter topic. A system proc passes its processor's failure as <c>error</c>.
/// </summary>
internal sealed class ReclaimOperation(ProcContext context, string procName, string? error = null) : ProcOperation(context)
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
        if (error is not null) Context.RememberError(procName, error);
        if (proc.NextReclaimDeadLetters) MoveToDeadLetters(proc, now, error ?? Context.LastError(procName));
        else Add(ProcEntries.Reclaimed(proc.Id, now, automatic: false));
    }
}
