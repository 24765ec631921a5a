namespace Engine.Checkpoints;

/// <summary>
/// What a checkpoint vouches for: every frame before <see cref="LogPosition"/> is durable and
/// reflected here and in the (flushed) index files, so opening replays only the log after it.
/// </summary>
internal sealed record Checkpoint(
    long Generation,
    long LogPosition,
    bool CleanShutdown,
    uint NextTopicId,
    IReadOnlyList<TopicCheckpoint> Topics,
    IReadOnlyDictionary<ushort, byte[]> Sections,
    IReadOnlyList<long>? Segments = null)
{
    /// <summary>
    /// The base positions of the segments the log had when this was taken: the segment catalog.
    /// Null in a version 1 checkpoint, which predates the GC leaving holes.
    /// </summary>
    public IReadOnlyList<long>? Segments { get; init; } = Segments;

    /// <summary>Section holding the proc table.</summary>
    public const ushort ProcsSection = 2;

    /// <summary>Section holding durable system proc registrations.</summary>
    public const ushort SystemProcsSection = 3;
}

/// <summary>A topic as of a checkpoint.</summary>
internal sealed record TopicCheckpoint(uint Id, string Name, long NextSeq, long FirstSeq, long LastTimestamp);
