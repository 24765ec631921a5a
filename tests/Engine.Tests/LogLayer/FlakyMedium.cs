using Engine.Storage;

namespace Engine.Tests.LogLayer;

/// <summary>
/// A store directory whose disk can be made to fail on request: fsyncs with EIO, block
/// reservations and segment creations with ENOSPC. Everything else goes to the real files.
/// </summary>
internal sealed class FlakyMedium(FileMedium inner) : IStorageMedium
{
    /// <summary>When set, every fsync of a segment or index chunk fails with EIO.</summary>
    public volatile bool FailFlushes;

    /// <summary>When set, every append to a segment (the writer's pwrite) fails with EIO, after writing half its bytes.</summary>
    public volatile bool FailWrites;

    /// <summary>Appends to segments made with a write call (pwrite), not through the mapping.</summary>
    public int SegmentWrites;

    /// <summary>Index slots written with a write call (pwrite), not through the mapping.</summary>
    public int IndexWrites;

    /// <summary>When set, every write call to an index chunk fails with EIO, writing nothing.</summary>
    public volatile bool FailIndexWrites;

    /// <summary>When set, reserving blocks and creating segments fail with ENOSPC (the disk is full).</summary>
    public volatile bool DiskFull;

    /// <summary>When set, the next whole-segment first reservation (from offset 0: a new spare's) fails once with ENOSPC.</summary>
    public volatile bool RefuseSpareReserves;

    /// <summary>Completes when a spare's reservation has been refused.</summary>
    public TaskCompletionSource SpareRefused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ReservesRefused;

    /// <summary>When set, the next fsync of a segment signals <see cref="FlushHeld"/> and waits for this gate to open.</summary>
    public ManualResetEventSlim? HoldNextSegmentFlush;

    /// <summary>Completes when a segment fsync is held at <see cref="HoldNextSegmentFlush"/>.</summary>
    public TaskCompletionSource FlushHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Segments created, index chunks opened and checkpoints written, each with the name of the thread that asked (in order).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string What, string? Thread)> Calls { get; } = new();

    private void Record(string what) => Calls.Enqueue((what, Thread.CurrentThread.Name));

    public static FlakyMedium Open(string path) => new(FileMedium.Open(path));

    private static IOException NoSpace() => new("No space left on device (injected)", 28);

    public bool IsPersistent => inner.IsPersistent;
    public IReadOnlyList<long> ListSegments() => inner.ListSegments();
    public string SegmentName(long basePosition) => inner.SegmentName(basePosition);

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header)
    {
        Record($"segment {basePosition}");
        return DiskFull ? throw NoSpace() : new FlakyRegion(this, inner.CreateSegment(basePosition, capacity, header), isSegment: true);
    }

    public MemoryRegion OpenSegment(long basePosition, long capacity) => new FlakyRegion(this, inner.OpenSegment(basePosition, capacity), isSegment: true);
    public long SegmentFileLength(long basePosition) => inner.SegmentFileLength(basePosition);
    public int ReadSegmentStart(long basePosition, Span<byte> destination) => inner.ReadSegmentStart(basePosition, destination);
    public void DeleteSegment(long basePosition) => inner.DeleteSegment(basePosition);
    public void RetireSegments(IReadOnlyCollection<long> basePositions) => inner.RetireSegments(basePositions);
    public void PurgeRetiredSegments() => inner.PurgeRetiredSegments();
    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length) => inner.ZeroSegmentRange(basePosition, ((FlakyRegion)region).Inner, offset, length);

    public void Reserve(MemoryRegion region, long offset, long length)
    {
        if (DiskFull)
        {
            Interlocked.Increment(ref ReservesRefused);
            throw NoSpace();
        }
        if (RefuseSpareReserves && offset == 0 && ((FlakyRegion)region).IsSegment)
        {
            RefuseSpareReserves = false;
            SpareRefused.TrySetResult();
            throw NoSpace();
        }
        inner.Reserve(((FlakyRegion)region).Inner, offset, length);
    }

    public string IndexChunkName(uint topicId, uint chunk) => inner.IndexChunkName(topicId, chunk);

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        Record($"chunk {topicId}/{chunk}");
        return inner.OpenIndexChunk(topicId, chunk, length, create) is { } region ? new FlakyRegion(this, region, isSegment: false) : null;
    }

    public void DeleteIndexChunk(uint topicId, uint chunk) => inner.DeleteIndexChunk(topicId, chunk);
    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks() => inner.ListIndexChunks();
    public void SyncIndexDirectory() => inner.SyncIndexDirectory();
    public byte[]? ReadCheckpoint(int slot) => inner.ReadCheckpoint(slot);
    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes)
    {
        Record($"checkpoint {slot}");
        inner.WriteCheckpoint(slot, bytes);
        CheckpointWritten.TrySetResult();
    }

    /// <summary>Completes when the first checkpoint has been written.</summary>
    public TaskCompletionSource CheckpointWritten { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Dispose() => inner.Dispose();

    private sealed unsafe class FlakyRegion(FlakyMedium medium, MemoryRegion inner, bool isSegment) : MemoryRegion(inner.Pointer, inner.Length)
    {
        public MemoryRegion Inner => inner;

        public bool IsSegment => isSegment;

        public override void Advise(NativeFile.Access access) => inner.Advise(access);

        public override bool AppendsLargeFramesByWrite => inner.AppendsLargeFramesByWrite;

        public override void Write(long offset, ReadOnlySpan<byte> bytes)
        {
            if (isSegment) Interlocked.Increment(ref medium.SegmentWrites);
            else Interlocked.Increment(ref medium.IndexWrites);
            if (medium.FailIndexWrites && !isSegment) throw new IOException("Input/output error (injected index write failure)", 5);
            if (medium.FailWrites && isSegment)
            {
                // A torn write, as a failing disk may leave one: the first half landed.
                inner.Write(offset, bytes[..(bytes.Length / 2)]);
                throw new IOException("Input/output error (injected write failure)", 5);
            }
            inner.Write(offset, bytes);
        }

        public override void Flush()
        {
            if (medium.FailFlushes) throw new IOException("Input/output error (injected fsync failure)", 5);
            if (isSegment && Interlocked.Exchange(ref medium.HoldNextSegmentFlush, null) is { } gate)
            {
                medium.FlushHeld.TrySetResult();
                gate.Wait();
            }
            inner.Flush();
        }

        public override void Dispose() => inner.Dispose();
    }
}
