namespace Engine.Storage;

/// <summary>
/// Where a store's bytes live: files in a directory, or native memory. Everything above this seam
/// is the same for both, so every test can run over both.
/// </summary>
internal interface IStorageMedium : IDisposable
{
    /// <summary>False for memory: nothing outlives the process, and syncing is free.</summary>
    bool IsPersistent { get; }

    /// <summary>True when the store must refuse every commit (<see cref="ReadOnlyFileMedium"/>): its writes would only land in memory.</summary>
    bool IsReadOnly => false;

    /// <summary>Base positions of the segments present, in no particular order.</summary>
    IReadOnlyList<long> ListSegments();

    /// <summary>A readable name of a segment for messages, such as <c>log/00000000000000000000.seg</c>.</summary>
    string SegmentName(long basePosition);

    /// <summary>Creates a zeroed segment whose first bytes are <paramref name="header"/>, durably named.</summary>
    MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header);

    /// <summary>
    /// Maps an existing segment of <paramref name="capacity"/> bytes: a file cut short is extended
    /// with zeros, bytes appended past the capacity are cut off (they were never part of the log).
    /// Recovery asks <see cref="SegmentFileLength"/> first, to know whether bytes were lost.
    /// </summary>
    MemoryRegion OpenSegment(long basePosition, long capacity);

    /// <summary>The length of a segment's file as found (before <see cref="OpenSegment"/> fixes it up).</summary>
    long SegmentFileLength(long basePosition);

    /// <summary>
    /// Stage one of deleting segments the GC retired: their names leave the log (a file becomes
    /// <c>.seg.deleted</c>), durably, so no later open can take one for part of the log. Their
    /// mappings stay valid until freed.
    /// </summary>
    void RetireSegments(IReadOnlyCollection<long> basePositions);

    /// <summary>Stage two: frees the space of every retired segment (also those a crash left behind).</summary>
    void PurgeRetiredSegments();

    /// <summary>Reads the first <paramref name="destination"/>.Length bytes of a segment (its header).</summary>
    int ReadSegmentStart(long basePosition, Span<byte> destination);

    /// <summary>Removes a segment; its region must already be freed or retired.</summary>
    void DeleteSegment(long basePosition);

    /// <summary>Makes <c>[offset, offset + length)</c> of a segment read as zeros (cutting a torn tail).</summary>
    void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length);

    /// <summary>
    /// Reserves disk blocks for <c>[offset, offset + length)</c> of a mapped file before it is
    /// written through the mapping: files are sparse and grow their reservation as they fill, so a
    /// small store stays small, and a full disk is an <see cref="IOException"/> here, never a
    /// SIGBUS inside a write.
    /// </summary>
    void Reserve(MemoryRegion region, long offset, long length);

    /// <summary>A readable name of an index chunk for messages.</summary>
    string IndexChunkName(uint topicId, uint chunk);

    /// <summary>Maps an index chunk of <paramref name="length"/> bytes; null when it is missing and <paramref name="create"/> is false.</summary>
    MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create);

    /// <summary>Removes an index chunk.</summary>
    void DeleteIndexChunk(uint topicId, uint chunk);

    /// <summary>Index chunks present, as (topic, chunk) pairs.</summary>
    IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks();

    /// <summary>Makes index chunk creations and deletions durable (a directory sync).</summary>
    void SyncIndexDirectory();

    /// <summary>The bytes of checkpoint slot 0 or 1, or null if it does not exist.</summary>
    byte[]? ReadCheckpoint(int slot);

    /// <summary>Replaces checkpoint slot 0 or 1 atomically and durably.</summary>
    void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes);
}
