namespace Engine;

/// <summary>
/// Bounds of a range read. A bound is absent/empty (open), <c>"&lt;ts&gt;"</c> (a millisecond),
/// <c>"&lt;ts&gt;-&lt;seq&gt;"</c> (an id) or <c>":&lt;seq&gt;"</c> (a position).
/// </summary>
public sealed record RangeOptions
{
    /// <summary>Where the walk starts (for a reverse range, the newest end).</summary>
    public string? Start { get; init; }

    /// <summary>Where the walk ends (for a reverse range, the oldest end).</summary>
    public string? End { get; init; }

    /// <summary>The most records to return; -1 or 0 for no limit.</summary>
    public int Limit { get; init; } = -1;

    /// <summary>Leave out the records the bounds name themselves.</summary>
    public bool Exclusive { get; init; }
}
