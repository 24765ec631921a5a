namespace Engine;

/// <summary>What opening a store found and did; <see cref="LogEngine.LastRecovery"/> exposes it.</summary>
public sealed record RecoveryReport
{
    /// <summary>
    /// Whether the store was closed cleanly last time: its newest checkpoint was written by a clean
    /// close and nothing was written after it. False for a store created by this open.
    /// </summary>
    public bool CleanShutdown { get; init; }

    /// <summary>Whether the directory held no store: this open created it.</summary>
    public bool NewStore { get; init; }

    /// <summary>
    /// Every repair opening made, one line each, naming file and byte: torn tails cut, segments
    /// discarded past the end, and with <c>RepairCorruption</c> whatever damage it cut or left
    /// out. What repair drops is always listed here (and logged).
    /// </summary>
    public IReadOnlyList<string> Repairs { get; init; } = [];

    /// <summary>The checkpoint generation used, or -1 when the whole log was replayed.</summary>
    public long CheckpointGeneration { get; init; } = -1;

    /// <summary>Log position replay started from.</summary>
    public long ReplayedFrom { get; init; }

    /// <summary>Bytes of log replayed after the checkpoint.</summary>
    public long ReplayedBytes { get; init; }

    /// <summary>Frames replayed after the checkpoint.</summary>
    public long ReplayedFrames { get; init; }

    /// <summary>Where the log was cut (a torn tail, or damage the caller chose to repair), or null.</summary>
    public string? CutAt { get; init; }

    /// <summary>Why the log was cut there.</summary>
    public string? CutReason { get; init; }

    /// <summary>Whether the cut discarded data that had been durable (only with <c>RepairCorruption</c>).</summary>
    public bool CutDurableData { get; init; }

    /// <summary>Segment files removed because they lay past the cut.</summary>
    public int SegmentsDiscarded { get; init; }

    /// <summary>Topics whose index was rebuilt from the log.</summary>
    public IReadOnlyList<string> RebuiltIndexes { get; init; } = [];

    /// <summary>How long opening took.</summary>
    public TimeSpan Elapsed { get; init; }
}
