namespace Engine;

/// <summary>
/// What a <see cref="LiveProc"/> needs from whoever owns the store: a claim that waits, without
/// polling, until records can be claimed. <see cref="LogEngine"/> waits on its commit path; the IPC
/// client asks the host, which answers when the wait ends.
/// </summary>
internal interface ILiveProcBackend
{
    /// <summary>Claims the next batch of the proc, waiting until there is one.</summary>
    ValueTask<IReadOnlyList<LogEntry>> ClaimWhenAvailableAsync(string topic, ProcOptions options, CancellationToken ct);

    /// <summary>Makes sure a proc exists (created with these options if not) without claiming anything.</summary>
    ValueTask CreateProcAsync(string topic, ProcOptions options);

    /// <summary>Removes a disposed live proc's state; a proc already gone is fine.</summary>
    ValueTask ForgetLiveProcAsync(string procName);

    /// <summary>
    /// A system proc's reclaim after its processor failed: as <c>ReclaimProcAsync</c>, and the
    /// error ("Type: message") goes into the dead letters if this or a later automatic reclaim
    /// reaches the limit under <see cref="OnMaxReclaims.DeadLetter"/>.
    /// </summary>
    ValueTask<string> ReclaimAfterFailureAsync(string procName, string error);
}
