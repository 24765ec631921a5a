namespace Engine.Procs;

/// <summary>
/// <c>AckAsync</c> and <c>AckCommitAsync</c>: acknowledges the open claim (the store writes the
/// records of an ack-commit in the same frame). A claim past its timeout was reclaimed
/// automatically: that is recorded, and there is then nothing to ack. Given the topic the caller
/// will claim from next (<c>AckAndProcAsync</c>), a proc of another topic is refused before
/// anything is acked, as that claim would refuse it.
/// </summary>
internal sealed class AckOperation(ProcContext context, string procName, string? topicToClaim = null) : ProcOperation(context)
{
    public ProcRange Acked { get; private set; }

    protected override void Decide()
    {
        var proc = Context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName);
        if (topicToClaim is not null && proc.Topic != topicToClaim) throw ProcErrors.NotUnique(procName, topicToClaim, proc.Topic);
        if (proc.Status == ProcStatus.Disabled) throw ProcErrors.Disabled(procName);
        if (!proc.HasOpenClaim) throw ProcErrors.NothingToAck(procName);
        var now = Context.NowMs();
        if (ReclaimIfExpired(proc, now))
        {
            FailAfterWrite ??= ProcErrors.NothingToAck(procName, $"its claim {proc.LastClaimed} timed out and was reclaimed");
            return;
        }
        Acked = proc.LastClaimed;
        Add(ProcEntries.Acked(proc.Id, now));
        Context.ForgetError(procName);
    }
}
