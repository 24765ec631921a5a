namespace Engine.Storage;

/// <summary>
/// A block of memory that segments and index chunks live in: a memory-mapped view of a file, or
/// native memory for the in-memory store. Readers use it without locks; it is freed only through
/// <see cref="ReclamationGate"/>, once no read can still be looking at it.
/// </summary>
internal abstract unsafe class MemoryRegion : IDisposable
{
    protected MemoryRegion(byte* pointer, long length)
    {
        Pointer = pointer;
        Length = length;
    }

    /// <summary>The first byte of the region.</summary>
    public byte* Pointer { get; }

    /// <summary>The region's size in bytes.</summary>
    public long Length { get; }

    /// <summary>A span over part of the region, bounds-checked.</summary>
    public Span<byte> Slice(long offset, int length)
    {
        if ((ulong)offset > (ulong)Length || (ulong)length > (ulong)(Length - offset))
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) is outside a region of {Length} bytes");
        return new Span<byte>(Pointer + offset, length);
    }

    /// <summary>Zeros <paramref name="length"/> bytes from <paramref name="offset"/>, however many.</summary>
    public void Clear(long offset, long length)
    {
        while (length > 0)
        {
            var chunk = (int)Math.Min(length, int.MaxValue);
            Slice(offset, chunk).Clear();
            offset += chunk;
            length -= chunk;
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="offset"/>. Memory copies; a file region
    /// writes through its descriptor instead (<c>pwrite</c>, see <see cref="MappedFileRegion"/>).
    /// </summary>
    public virtual void Write(long offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Slice(offset, bytes.Length));

    /// <summary>
    /// Whether the log's writer should append large frames with <see cref="Write"/> rather than
    /// build them in place through <see cref="Pointer"/>: true for files (see
    /// <see cref="Log.LogWriter"/>), false for memory, where writing in place is the cheapest.
    /// </summary>
    public virtual bool AppendsLargeFramesByWrite => false;

    /// <summary>Tells the kernel how the region will be accessed (file mappings only).</summary>
    public virtual void Advise(NativeFile.Access access)
    {
    }

    /// <summary>Forces the region's bytes to stable storage (a no-op for memory that has none).</summary>
    public abstract void Flush();

    /// <summary>Frees the memory (and closes the file behind it).</summary>
    public abstract void Dispose();
}
