namespace Engine.Storage;

/// <summary>The in-memory store's medium: regions of native memory, nothing on disk.</summary>
internal sealed class MemoryMedium : IStorageMedium
{
    private readonly Dictionary<long, MemoryRegion> _segments = [];
    private readonly Dictionary<(uint, uint), MemoryRegion> _chunks = [];
    private readonly byte[]?[] _checkpoints = new byte[2][];
    private readonly Lock _lock = new();

    public bool IsPersistent => false;

    public IReadOnlyList<long> ListSegments()
    {
        lock (_lock) return [.. _segments.Keys];
    }

    public string SegmentName(long basePosition) => $"memory segment {basePosition}";

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header)
    {
        var region = NativeMemoryRegion.Allocate(capacity);
        header.CopyTo(region.Slice(0, header.Length));
        lock (_lock) _segments.Add(basePosition, region);
        return region;
    }

    public MemoryRegion OpenSegment(long basePosition, long capacity)
    {
        lock (_lock) return _segments[basePosition];
    }

    public int ReadSegmentStart(long basePosition, Span<byte> destination)
    {
        lock (_lock)
        {
            var region = _segments[basePosition];
            var length = (int)Math.Min(destination.Length, region.Length);
            region.Slice(0, length).CopyTo(destination);
            return length;
        }
    }

    public void DeleteSegment(long basePosition)
    {
        lock (_lock) _segments.Remove(basePosition);
    }

    public long SegmentFileLength(long basePosition)
    {
        lock (_lock) return _segments[basePosition].Length;
    }

    /// <summary>Memory has no names to stage: a retired segment is simply forgotten (its region is freed by its owner).</summary>
    public void RetireSegments(IReadOnlyCollection<long> basePositions)
    {
        lock (_lock)
            foreach (var basePosition in basePositions) _segments.Remove(basePosition);
    }

    public void PurgeRetiredSegments()
    {
    }

    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length) => region.Clear(offset, length);

    public void Reserve(MemoryRegion region, long offset, long length)
    {
    }

    public string IndexChunkName(uint topicId, uint chunk) => $"memory index {topicId:x8}-{chunk:x8}";

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        lock (_lock)
        {
            if (_chunks.TryGetValue((topicId, chunk), out var region)) return region;
            if (!create) return null;
            region = NativeMemoryRegion.Allocate(length);
            _chunks.Add((topicId, chunk), region);
            return region;
        }
    }

    public void DeleteIndexChunk(uint topicId, uint chunk)
    {
        lock (_lock) _chunks.Remove((topicId, chunk));
    }

    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks()
    {
        lock (_lock) return [.. _chunks.Keys];
    }

    public void SyncIndexDirectory()
    {
    }

    public byte[]? ReadCheckpoint(int slot) => _checkpoints[slot];

    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes) => _checkpoints[slot] = bytes.ToArray();

    /// <summary>Regions are owned and freed by the segments and indexes that map them.</summary>
    public void Dispose()
    {
    }
}
