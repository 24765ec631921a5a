namespace Engine.Log;

/// <summary>
/// The one answer to "which segments does the log have": the live segments in position order,
/// replaced whole when one is added or retired so that readers hold a snapshot without a lock.
/// <para>
/// The catalog allows holes. The GC retires any segment with nothing live in it, not only the
/// oldest, because a slow proc can keep the oldest one alive for as long as it likes; so after a
/// collection the positions of the log no longer run on from one segment to the next. Which holes
/// are legitimate is written down in every checkpoint (its segment list, format-spec.md §6), which
/// is how recovery tells a segment the GC retired from one that went missing.
/// </para>
/// Changes are serialised by a lock of the catalog's own: the writer appends at a roll while the GC
/// retires, and neither may lose the other's change.
/// </summary>
internal sealed class SegmentCatalog
{
    private readonly Lock _changing = new();
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

    /// <summary>The base positions of the live segments, for a checkpoint.</summary>
    public long[] BasePositions() => [.. Volatile.Read(ref _segments).Select(s => s.BasePosition)];

    /// <summary>The segment holding <paramref name="position"/>, or null (also inside a hole).</summary>
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

    /// <summary>Adds the segment the log continues in: it must start where the last one ends.</summary>
    public void Append(Segment segment) => Add(segment, allowHole: false);

    /// <summary>Adds a segment found on open, after a hole the checkpoint accounts for.</summary>
    public void AppendAfterHole(Segment segment) => Add(segment, allowHole: true);

    private void Add(Segment segment, bool allowHole)
    {
        lock (_changing)
        {
            var current = _segments;
            if (current.Length > 0)
            {
                var end = current[^1].EndPosition;
                if (allowHole ? segment.BasePosition < end : segment.BasePosition != end)
                    throw new InvalidOperationException($"segment at {segment.BasePosition} does not follow the one ending at {end}");
            }
            Volatile.Write(ref _segments, [.. current, segment]);
        }
    }

    /// <summary>Unpublishes the given segments; readers that hold an older snapshot may still use them.</summary>
    public void Retire(IReadOnlyCollection<Segment> retired)
    {
        if (retired.Count == 0) return;
        lock (_changing) Volatile.Write(ref _segments, [.. _segments.Where(s => !retired.Contains(s))]);
    }
}
