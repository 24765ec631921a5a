namespace Engine.Procs;

/// <summary>
/// A proc as the log describes it. Changed only by <see cref="ProcTable"/> applying entries, so
/// the state after a restart is the state before it. The claim model is PipeProc's: a claim is
/// open while the last claimed range differs from the last acked one; a reclaim puts the previous
/// claim back as the last one, which closes it.
/// </summary>
internal sealed class ProcRecord
{
    public required uint Id { get; init; }

    public required string Name { get; init; }

    public required string Topic { get; init; }

    /// <summary>The offset as given: <c>"&gt;"</c>, <c>"$&gt;"</c> or a range bound.</summary>
    public required string Offset { get; init; }

    /// <summary>The first seq it may claim, fixed at creation; -1 when <see cref="Offset"/> is a bound resolved against the topic.</summary>
    public required long StartSeq { get; init; }

    public required long CreatedAtMs { get; init; }

    public required int MaxReclaims { get; init; }

    public required long ReclaimTimeoutMs { get; init; }

    public required OnMaxReclaims OnMaxReclaimsReached { get; init; }

    /// <summary>Where a claim reaching the limit goes under <see cref="OnMaxReclaims.DeadLetter"/>; null under the other strategies.</summary>
    public string? DeadLetterTopic { get; set; }

    public ProcStatus Status { get; set; } = ProcStatus.Active;

    public int Reclaims { get; set; }

    public ProcRange LastClaimed { get; set; } = ProcRange.Empty;

    public ProcRange PreviousClaimed { get; set; } = ProcRange.Empty;

    public ProcRange LastAcked { get; set; } = ProcRange.Empty;

    public long? LastClaimedAtMs { get; set; }

    public long? LastAckedAtMs { get; set; }

    public bool HasOpenClaim => !LastClaimed.IsEmpty && LastClaimed != LastAcked;

    /// <summary>When the open claim is reclaimed automatically (Unix ms).</summary>
    public long ClaimExpiresAtMs => (LastClaimedAtMs ?? 0) + ReclaimTimeoutMs;

    /// <summary>Whether a reclaim now would reach <see cref="MaxReclaims"/> and disable the proc.</summary>
    public bool NextReclaimDisables =>
        MaxReclaims != -1 && Reclaims + 1 >= MaxReclaims && OnMaxReclaimsReached == OnMaxReclaims.Disable;

    /// <summary>Whether a reclaim now would reach <see cref="MaxReclaims"/> and move the claim to the dead-letter topic instead.</summary>
    public bool NextReclaimDeadLetters =>
        MaxReclaims != -1 && Reclaims + 1 >= MaxReclaims && OnMaxReclaimsReached == OnMaxReclaims.DeadLetter;

    public ProcState ToState() => new(
        Name, Topic, Status, Offset,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        LastClaimed.ToString(), PreviousClaimed.ToString(), LastAcked.ToString(),
        LastClaimedAtMs is { } claimed ? DateTimeOffset.FromUnixTimeMilliseconds(claimed) : null,
        LastAckedAtMs is { } acked ? DateTimeOffset.FromUnixTimeMilliseconds(acked) : null,
        Reclaims, MaxReclaims, TimeSpan.FromMilliseconds(ReclaimTimeoutMs), OnMaxReclaimsReached)
    {
        DeadLetterTopic = DeadLetterTopic,
    };
}
