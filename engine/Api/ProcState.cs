namespace Engine;

/// <summary>A snapshot of a proc, as inspect, destroy, disable and resume return it.</summary>
/// <param name="Name">The proc's name.</param>
/// <param name="Topic">The topic it reads.</param>
/// <param name="Status">Active or disabled.</param>
/// <param name="Offset">The offset it was created with.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastClaimedRange">The open or last claim, <c>""</c> if none.</param>
/// <param name="PreviousClaimedRange">The claim before that, <c>""</c> if none.</param>
/// <param name="LastAckedRange">The last acknowledged range, <c>""</c> if none.</param>
/// <param name="LastClaimedAt">When the last claim was made.</param>
/// <param name="LastAckedAt">When the last ack was made.</param>
/// <param name="Reclaims">Reclaims since the last ack or resume.</param>
/// <param name="MaxReclaims">The reclaim limit, -1 for none.</param>
/// <param name="ReclaimTimeout">How long a claim may stay open.</param>
/// <param name="OnMaxReclaimsReached">What happens at the limit.</param>
public sealed record ProcState(
    string Name,
    string Topic,
    ProcStatus Status,
    string Offset,
    DateTimeOffset CreatedAt,
    string LastClaimedRange,
    string PreviousClaimedRange,
    string LastAckedRange,
    DateTimeOffset? LastClaimedAt,
    DateTimeOffset? LastAckedAt,
    int Reclaims,
    int MaxReclaims,
    TimeSpan ReclaimTimeout,
    OnMaxReclaims OnMaxReclaimsReached)
{
    /// <summary>The topic a claim goes to when it reaches the limit under <see cref="OnMaxReclaims.DeadLetter"/>; null under the other strategies.</summary>
    public string? DeadLetterTopic { get; init; }
}
