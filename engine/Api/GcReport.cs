namespace Engine;

/// <summary>What one garbage collection did.</summary>
public sealed record GcReport
{
    /// <summary>Records dropped from reads and lengths.</summary>
    public long RecordsPruned { get; init; }

    /// <summary>Records copied out of mostly dead segments so those could be deleted.</summary>
    public long RecordsRelocated { get; init; }

    /// <summary>Segment files deleted.</summary>
    public int SegmentsDeleted { get; init; }

    /// <summary>Index chunk files deleted.</summary>
    public int IndexChunksDeleted { get; init; }

    /// <summary>Bytes of files given back to the file system.</summary>
    public long BytesFreed { get; init; }

    /// <summary>How long the collection took.</summary>
    public TimeSpan Elapsed { get; init; }
}
