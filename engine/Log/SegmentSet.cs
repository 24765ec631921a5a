namespace Engine.Log;

/// <summary>
/// The segments of the log in position order, replaced whole when one is added or removed so that
/// readers can hold a snapshot without a lock.
/// </summary>
internal sealed class SegmentSet
{
    private Segment[] _segments = [];

    public IReadOnlyList<Segment> Snapshot => Volatile.Read(ref _segments);

    public Segment? Last
    {
        get
        {
            var segments = Volatile.Read(ref _segments);
            return segments.Length == 0 ? null : segments[^1];
        }
    }

    /// <summary>The segment holding <paramref name="position"/>, or null.</summary>
    public Segment? Find(long position)
    {
        var segments = Volatile.Read(ref _segments);
        int low = 0, high = segments.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >> 1;
            var segment = segments[middle];
            if (position < segment.BasePosition) high = middle - 1;
            else if (position >= segment.EndPosition) low = middle + 1;
            else return segment;
        }
        return null;
    }

    public void Append(Segment segment)
    {
        var current = Volatile.Read(ref _segments);
        if (current.Length > 0 && current[^1].EndPosition != segment.BasePosition)
            throw new InvalidOperationException($"segment at {segment.BasePosition} does not follow the one ending at {current[^1].EndPosition}");
        Volatile.Write(ref _segments, [.. current, segment]);
    }

    /// <summary>Unpublishes the given segments (the oldest, or trailing ones cut by recovery).</summary>
    public void Remove(IReadOnlyCollection<Segment> removed) =>
        Volatile.Write(ref _segments, [.. Volatile.Read(ref _segments).Where(s => !removed.Contains(s))]);
}
