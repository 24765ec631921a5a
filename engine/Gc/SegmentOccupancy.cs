using System.Buffers.Binary;
using Engine.Log;

namespace Engine.Gc;

/// <summary>
/// How much of each segment is still live: every kept record of every topic, located through its
/// index slot. Measured afresh at each collection instead of kept up to date on every commit:
/// nothing on the write path pays for it, and no counter can drift from the truth.
/// </summary>
internal sealed class SegmentOccupancy
{
    private readonly Dictionary<Segment, (long Records, long Bytes)> _live = [];

    public (long Records, long Bytes) LiveIn(Segment segment) => _live.GetValueOrDefault(segment);

    /// <summary>Counts live records per segment (the caller holds the reclamation gate).</summary>
    public static SegmentOccupancy Measure(IGcStore store)
    {
        var occupancy = new SegmentOccupancy();
        foreach (var (segment, _, _, length) in LiveRecords(store, _ => true))
        {
            var (records, bytes) = occupancy._live.GetValueOrDefault(segment);
            occupancy._live[segment] = (records + 1, bytes + length);
        }
        return occupancy;
    }

    /// <summary>Every kept record in the segments <paramref name="wanted"/> accepts: its segment, topic, seq and entry length.</summary>
    public static IEnumerable<(Segment Segment, Topics.Topic Topic, long Seq, int Length)> LiveRecords(IGcStore store, Func<Segment, bool> wanted)
    {
        foreach (var topic in store.State.Topics.All.ToList())
        {
            Segment? segment = null;
            var next = topic.NextSeq;
            for (var seq = topic.FirstSeq; seq < next; seq++)
            {
                var (position, _) = topic.Index.Get(seq);
                if (segment is null || !segment.Contains(position)) segment = store.Segments.Find(position);
                if (segment is null || !wanted(segment)) continue;
                var length = BinaryPrimitives.ReadInt32LittleEndian(segment.From(position)[EntryHeader.LengthOffset..]);
                yield return (segment, topic, seq, FrameHeader.Align(length));
            }
        }
    }
}
