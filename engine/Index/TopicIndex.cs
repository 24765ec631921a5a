using Engine.Storage;

namespace Engine.Index;

/// <summary>
/// A topic's index: slot <c>seq</c> holds where record <c>seq</c> is and its timestamp, so finding
/// a seq is one array access (O(1)) and finding a timestamp a binary search (O(log n)), since
/// timestamps never decrease along seqs. Slots live in chunks of 65,536 (one 1 MiB file each), so
/// the index grows by mapping a new chunk, never by remapping one readers are using, and the GC
/// frees whole chunks below the first kept seq.
/// Only the log writer calls <see cref="Set"/>; readers call the rest concurrently, inside the
/// reclamation gate.
/// </summary>
internal sealed unsafe class TopicIndex : IDisposable
{
    public const int ChunkBits = 16;
    public const int SlotsPerChunk = 1 << ChunkBits;
    public const long ChunkFileLength = IndexChunkHeader.Length + (long)SlotsPerChunk * IndexEntry.Size;
    private const int SlotMask = SlotsPerChunk - 1;

    /// <summary>
    /// Slots reserved on disk at a time, at most: 4096 slots, 64 KiB, one fallocate per 4096 records.
    /// A chunk starts with one page (256 slots) and doubles its step up to this, so a topic with a
    /// few records holds 4 KiB of disk, not 64 KiB (10,000 small topics: 40 MiB, not 640 MiB).
    /// </summary>
    private const int ReserveSlots = 4096;

    /// <summary>The first reservation of a chunk: one 4 KiB page of slots.</summary>
    private const int FirstReserveSlots = 256;

    private readonly IStorageMedium _medium;

    /// <summary>
    /// Serialises changes to <see cref="_chunks"/>: the writer publishes a new chunk while the GC
    /// detaches old ones, and each replaces the array whole, so without it one could lose the
    /// other's change (a mapped chunk dropped and leaked, or a freed one kept).
    /// </summary>
    private readonly Lock _changing = new();
    private IndexChunk?[] _chunks = [];
    private readonly NextChunk _next;

    public TopicIndex(uint topicId, IStorageMedium medium)
    {
        TopicId = topicId;
        _medium = medium;
        _next = new NextChunk(topicId, medium);
    }

    public uint TopicId { get; }

    /// <summary>The next chunk being made ahead (see <see cref="NextChunk"/>), or null.</summary>
    internal Task? NextChunkMaking => _next.Making;

    /// <summary>Chunk that holds a seq.</summary>
    public static uint ChunkOf(long seq) => (uint)(seq >> ChunkBits);

    /// <summary>
    /// Maps the chunks that hold <c>[firstSeq, endSeq)</c>; false (and nothing kept) when one is
    /// missing or its header is damaged, so the caller rebuilds the index from the log.
    /// </summary>
    public bool TryOpenExisting(long firstSeq, long endSeq)
    {
        if (endSeq <= firstSeq) return true;
        var opened = new List<IndexChunk>();
        for (var chunk = ChunkOf(firstSeq); chunk <= ChunkOf(endSeq - 1); chunk++)
        {
            var region = _medium.OpenIndexChunk(TopicId, chunk, ChunkFileLength, create: false);
            if (region is null || !IndexChunkHeader.IsValid(region.Slice(0, IndexChunkHeader.Length), TopicId, chunk))
            {
                region?.Dispose();
                foreach (var open in opened) open.Region.Dispose();
                return false;
            }
            region.Advise(NativeFile.Access.Random); // see CreateChunk
            opened.Add(new IndexChunk(chunk, region));
        }
        foreach (var chunk in opened) Publish(chunk);
        return true;
    }

    /// <summary>
    /// A run of at least this many slots is written with one <c>pwrite</c> rather than through the
    /// chunk's mapping. Slots written through the mapping leave its pages writable and dirty, and
    /// every checkpoint's fsync of the chunk must then write-protect them again: TLB-shootdown
    /// interrupts to every core (10% of all samples of a batch-append loop, on the checkpointer
    /// thread, with the interrupts landing on the committer). A few slots (a single commit's) are
    /// still written in place: one system call each would cost more than the faults.
    /// </summary>
    public const int WriteCallSlots = 64;

    private readonly SlotRun _run = new();

    /// <summary>
    /// Slot <paramref name="seq"/> of a frame being applied: kept with the slots before it while
    /// they are consecutive, and written by <see cref="WriteStaged"/>, which must run before the
    /// frame's records are published. Writer only.
    /// </summary>
    public void Stage(long seq, long position, long timestamp)
    {
        if (!_run.Continues(seq)) WriteStaged();
        _run.Add(TopicId, seq, position, timestamp);
    }

    /// <summary>Writes the slots staged so far: with one write call when they are many, else in place. Writer only.</summary>
    public void WriteStaged()
    {
        if (_run.Count == 0) return;
        var chunk = ChunkFor(_run.FirstSeq) ?? CreateChunk(ChunkOf(_run.FirstSeq));
        Reserve(chunk, _run.FirstSeq + _run.Count - 1);
        var offset = SlotOffset(_run.FirstSeq);
        if (_run.Count >= WriteCallSlots) chunk.Region.Write(offset, _run.Bytes);
        else _run.Bytes.CopyTo(chunk.Region.Slice(offset, _run.Bytes.Length));
        chunk.MarkDirty();
        _run.Clear();
    }

    /// <summary>Writes slot <paramref name="seq"/> at once, in place. Writer only.</summary>
    public void Set(long seq, long position, long timestamp)
    {
        var chunk = ChunkFor(seq) ?? CreateChunk(ChunkOf(seq));
        Reserve(chunk, seq);
        IndexEntry.Write(chunk.Region.Slice(SlotOffset(seq), IndexEntry.Size), TopicId, seq, position, timestamp);
        chunk.MarkDirty();
    }

    /// <summary>Maps and reserves the slots for <c>[fromSeq, toSeq)</c> ahead of writing them. Writer only.</summary>
    public void EnsureChunks(long fromSeq, long toSeq)
    {
        for (var seq = fromSeq; seq < toSeq;)
        {
            var number = ChunkOf(seq);
            var chunk = ChunkFor(seq) ?? TakeNext(number) ?? CreateChunk(number);
            var lastInChunk = Math.Min(toSeq - 1, ((long)number << ChunkBits) + SlotMask);
            Reserve(chunk, lastInChunk);
            seq = lastInChunk + 1;
        }
        var last = toSeq - 1;
        if (last >= 0 && SlotMask - (last & SlotMask) < NextChunk.StartWhenSlotsLeft && ChunkFor(last + SlotsPerChunk) is null)
            _next.Start(ChunkOf(last) + 1);
    }

    /// <summary>The chunk made ahead by <see cref="NextChunk"/>, published; null if there is none for <paramref name="number"/>.</summary>
    private IndexChunk? TakeNext(uint number)
    {
        if (_next.Take(number) is not { } region) return null;
        var chunk = new IndexChunk(number, region) { ReservedSlots = SlotsPerChunk };
        chunk.MarkDirty();
        Publish(chunk);
        return chunk;
    }

    /// <summary>Reserves the disk blocks of <paramref name="chunk"/> up to slot <paramref name="seq"/>, a step ahead.</summary>
    private void Reserve(IndexChunk chunk, long seq)
    {
        var slot = (int)(seq & SlotMask);
        if (slot < chunk.ReservedSlots) return;
        var step = Math.Clamp(chunk.ReservedSlots, FirstReserveSlots, ReserveSlots);
        var to = Math.Min(SlotsPerChunk, Math.Max(slot + 1, chunk.ReservedSlots + step));
        var from = SlotOffset(chunk.ReservedSlots);
        _medium.Reserve(chunk.Region, from, SlotOffset(to) - from);
        chunk.ReservedSlots = to;
    }

    /// <summary>Where record <paramref name="seq"/> is; throws <see cref="IndexDamagedException"/> if its slot fails its check.</summary>
    public (long Position, long Timestamp) Get(long seq)
    {
        var chunk = ChunkFor(seq) ?? throw new IndexDamagedException(TopicId, seq, "its chunk is not mapped");
        if (!IndexEntry.TryRead(new ReadOnlySpan<byte>(chunk.Region.Pointer + SlotOffset(seq), IndexEntry.Size), TopicId, seq, out var position, out var timestamp))
            throw new IndexDamagedException(TopicId, seq, _medium.IndexChunkName(TopicId, chunk.Number));
        return (position, timestamp);
    }

    public long TimestampOf(long seq) => Get(seq).Timestamp;

    /// <summary>The first seq in <c>[from, to)</c> whose timestamp is at least (or, if <paramref name="strictly"/>, above) <paramref name="timestamp"/>; <paramref name="to"/> if none.</summary>
    public long FirstAtOrAfter(long from, long to, long timestamp, bool strictly)
    {
        var low = from;
        var high = to;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            var value = TimestampOf(middle);
            if (strictly ? value > timestamp : value >= timestamp) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>
    /// The first seq in <c>[from, to)</c> whose id <c>(ts, seq)</c> is at least (or above) the given id;
    /// ids order by timestamp, then seq, and both rise along a topic.
    /// </summary>
    public long FirstIdAtOrAfter(long from, long to, long timestamp, long seq, bool strictly)
    {
        var low = from;
        var high = to;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            var value = TimestampOf(middle);
            var compare = value != timestamp ? value.CompareTo(timestamp) : middle.CompareTo(seq);
            if (strictly ? compare > 0 : compare >= 0) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>Adds the chunks changed since the last flush to <paramref name="dirty"/> (see <see cref="IndexFlush"/>).</summary>
    public void CollectDirty(List<IndexChunk> dirty)
    {
        foreach (var chunk in Volatile.Read(ref _chunks))
            if (chunk is { IsDirty: true }) dirty.Add(chunk);
    }

    /// <summary>Unpublishes the chunks wholly below <paramref name="firstKeptSeq"/> and returns them for freeing.</summary>
    public List<IndexChunk> DetachBelow(long firstKeptSeq)
    {
        lock (_changing) return DetachBelowLocked(firstKeptSeq);
    }

    private List<IndexChunk> DetachBelowLocked(long firstKeptSeq)
    {
        var detached = new List<IndexChunk>();
        var chunks = (IndexChunk?[])Volatile.Read(ref _chunks).Clone();
        var limit = Math.Min(chunks.Length, (long)ChunkOf(firstKeptSeq));
        for (var i = 0; i < limit; i++)
        {
            if (chunks[i] is { } chunk) detached.Add(chunk);
            chunks[i] = null;
        }
        if (detached.Count > 0) Volatile.Write(ref _chunks, chunks);
        return detached;
    }

    /// <summary>Drops every chunk and its file: the index is about to be rebuilt from the log.</summary>
    public List<IndexChunk> DetachAll()
    {
        lock (_changing)
        {
            var detached = Volatile.Read(ref _chunks).OfType<IndexChunk>().ToList();
            Volatile.Write(ref _chunks, []);
            return detached;
        }
    }

    public void Dispose()
    {
        _next.Dispose();
        foreach (var chunk in Volatile.Read(ref _chunks))
            chunk?.Region.Dispose();
        _chunks = [];
    }

    private static long SlotOffset(long seq) => IndexChunkHeader.Length + (long)(seq & SlotMask) * IndexEntry.Size;

    private IndexChunk? ChunkFor(long seq)
    {
        var chunks = Volatile.Read(ref _chunks);
        var number = seq >> ChunkBits;
        return number < chunks.Length ? chunks[number] : null;
    }

    private IndexChunk CreateChunk(uint number)
    {
        var chunk = new IndexChunk(number, OpenChunkRegion(_medium, TopicId, number));
        chunk.MarkDirty();
        Publish(chunk);
        return chunk;
    }

    /// <summary>Creates (or reuses) a chunk's file, maps it, and writes its header with the header's blocks reserved.</summary>
    internal static MemoryRegion OpenChunkRegion(IStorageMedium medium, uint topicId, uint number)
    {
        var region = medium.OpenIndexChunk(topicId, number, ChunkFileLength, create: true)!;
        try
        {
            // No read-ahead: the first write into a fresh chunk would otherwise fault in (zero-fill) the
            // whole 1 MiB file to store one slot; 10,000 new topics meant 10 GB of memset in the kernel.
            // Slots are found by seq or binary search, never scanned, so read-ahead buys nothing here.
            region.Advise(NativeFile.Access.Random);
            medium.Reserve(region, 0, IndexChunkHeader.Length);
            // A reused file (left by a crash, or an index being rebuilt) may hold stale slots: they fail
            // their checks against nothing, but the header must be ours.
            IndexChunkHeader.Write(region.Slice(0, IndexChunkHeader.Length), topicId, number);
            return region;
        }
        catch
        {
            region.Dispose();
            throw;
        }
    }

    private void Publish(IndexChunk chunk)
    {
        lock (_changing) PublishLocked(chunk);
    }

    private void PublishLocked(IndexChunk chunk)
    {
        var current = Volatile.Read(ref _chunks);
        var next = current.Length > chunk.Number ? (IndexChunk?[])current.Clone() : new IndexChunk?[Math.Max(chunk.Number + 1, current.Length * 2L)];
        if (next.Length > current.Length) Array.Copy(current, next, current.Length);
        next[chunk.Number] = chunk;
        Volatile.Write(ref _chunks, next);
    }
}
