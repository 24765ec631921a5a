namespace Engine;

/// <summary>Options of <see cref="ILogClient.ProcAsync"/>. Only <see cref="Count"/> may change between calls.</summary>
public sealed record ProcOptions
{
    /// <summary>The proc's name, unique across topics.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>"&gt;"</c> from the start, <c>"$&gt;"</c> only new records, or a range bound to start after.</summary>
    public string Offset { get; init; } = ">";

    /// <summary>How many records one call claims at most.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Reclaims without an ack before <see cref="OnMaxReclaimsReached"/> applies; -1 for no limit.</summary>
    public int MaxReclaims { get; init; } = 10;

    /// <summary>How long a claim may stay unacked before it is reclaimed automatically.</summary>
    public TimeSpan ReclaimTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What happens when <see cref="MaxReclaims"/> is reached.</summary>
    public OnMaxReclaims OnMaxReclaimsReached { get; init; } = OnMaxReclaims.Disable;

    /// <summary>
    /// Where <see cref="OnMaxReclaims.DeadLetter"/> moves a claim that reached the limit; null means
    /// <c>"&lt;procName&gt;__dead"</c>. Fixed when the proc is created, like the other options.
    /// </summary>
    public string? DeadLetterTopic { get; init; }
}
