using Engine.Storage;

namespace Engine.Index;

/// <summary>One mapped chunk of a topic's index and whether it changed since the last checkpoint.</summary>
internal sealed class IndexChunk(uint number, MemoryRegion region)
{
    private int _dirty;

    public uint Number { get; } = number;

    public MemoryRegion Region { get; } = region;

    /// <summary>Slots whose disk blocks are reserved, from the chunk's start. Writer only.</summary>
    public int ReservedSlots { get; set; }

    public void MarkDirty()
    {
        if (Volatile.Read(ref _dirty) == 0) Volatile.Write(ref _dirty, 1);
    }

    /// <summary>Whether the chunk changed since it was last flushed.</summary>
    public bool IsDirty => Volatile.Read(ref _dirty) == 1;

    /// <summary>Flushes the chunk if it changed; the flag is cleared first so no later change is missed.</summary>
    public void FlushIfDirty()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 1) Region.Flush();
    }
}
