using Engine.Storage;

namespace Engine.Log;

/// <summary>One segment file (or memory block) and the log positions it covers.</summary>
internal sealed unsafe class Segment(long basePosition, long capacity, MemoryRegion region) : IDisposable
{
    /// <summary>Log position of the segment's first byte (its header).</summary>
    public long BasePosition { get; } = basePosition;

    public long Capacity { get; } = capacity;

    /// <summary>One past the last position; also the next segment's base.</summary>
    public long EndPosition => BasePosition + Capacity;

    /// <summary>Where the first frame goes.</summary>
    public long DataStart => BasePosition + SegmentHeader.Length;

    public MemoryRegion Region { get; } = region;

    private long _reservedTo;

    /// <summary>File offset up to which disk blocks are reserved for writing (see <see cref="TailReservation"/>).</summary>
    public long ReservedTo => Volatile.Read(ref _reservedTo);

    /// <summary>Moves <see cref="ReservedTo"/> up to <paramref name="to"/>, never down: the writer and a background reservation may both get there.</summary>
    public void RaiseReservedTo(long to)
    {
        var current = Volatile.Read(ref _reservedTo);
        while (to > current)
        {
            var seen = Interlocked.CompareExchange(ref _reservedTo, to, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>Forgets reservations past <paramref name="to"/> (opening: what a previous run reserved is not known).</summary>
    public void LimitReservedTo(long to) => Volatile.Write(ref _reservedTo, Math.Min(ReservedTo, to));

    /// <summary>The bytes from <paramref name="position"/> to the end of the segment.</summary>
    public ReadOnlySpan<byte> From(long position) =>
        new(Region.Pointer + (position - BasePosition), checked((int)(EndPosition - position)));

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="position"/> (pwrite for a file; see <see cref="MemoryRegion.Write"/>).</summary>
    public void Write(long position, ReadOnlySpan<byte> bytes) => Region.Write(position - BasePosition, bytes);

    public bool Contains(long position) => position >= BasePosition && position < EndPosition;

    public void Dispose() => Region.Dispose();
}
