using Engine.Storage;

namespace Engine.Tests.Support;

/// <summary>
/// A storage medium that passes every call to another and counts the ones that cost a file
/// system something (index files opened, bytes reserved, directory syncs), so a test can assert
/// how much work an operation does without timing it.
/// </summary>
internal sealed class CountingMedium(IStorageMedium inner) : IStorageMedium
{
    public int IndexChunksOpened { get; private set; }

    private readonly HashSet<MemoryRegion> _indexChunks = new(ReferenceEqualityComparer.Instance);

    /// <summary>Reservations in index chunk files (segments reserve too, and are not counted).</summary>
    public int Reserves { get; private set; }

    /// <summary>Bytes reserved in index chunk files.</summary>
    public long BytesReserved { get; private set; }

    public int IndexDirectorySyncs { get; private set; }

    public bool IsPersistent => inner.IsPersistent;

    public IReadOnlyList<long> ListSegments() => inner.ListSegments();

    public string SegmentName(long basePosition) => inner.SegmentName(basePosition);

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header) => inner.CreateSegment(basePosition, capacity, header);

    public MemoryRegion OpenSegment(long basePosition, long capacity) => inner.OpenSegment(basePosition, capacity);

    public long SegmentFileLength(long basePosition) => inner.SegmentFileLength(basePosition);

    public void RetireSegments(IReadOnlyCollection<long> basePositions) => inner.RetireSegments(basePositions);

    public void PurgeRetiredSegments() => inner.PurgeRetiredSegments();

    public int ReadSegmentStart(long basePosition, Span<byte> destination) => inner.ReadSegmentStart(basePosition, destination);

    public void DeleteSegment(long basePosition) => inner.DeleteSegment(basePosition);

    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length) =>
        inner.ZeroSegmentRange(basePosition, region, offset, length);

    public void Reserve(MemoryRegion region, long offset, long length)
    {
        if (_indexChunks.Contains(region))
        {
            Reserves++;
            BytesReserved += length;
        }
        inner.Reserve(region, offset, length);
    }

    public string IndexChunkName(uint topicId, uint chunk) => inner.IndexChunkName(topicId, chunk);

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        IndexChunksOpened++;
        var region = inner.OpenIndexChunk(topicId, chunk, length, create);
        if (region is not null) _indexChunks.Add(region);
        return region;
    }

    public void DeleteIndexChunk(uint topicId, uint chunk) => inner.DeleteIndexChunk(topicId, chunk);

    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks() => inner.ListIndexChunks();

    public void SyncIndexDirectory()
    {
        IndexDirectorySyncs++;
        inner.SyncIndexDirectory();
    }

    public byte[]? ReadCheckpoint(int slot) => inner.ReadCheckpoint(slot);

    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes) => inner.WriteCheckpoint(slot, bytes);

    public void Dispose() => inner.Dispose();
}
