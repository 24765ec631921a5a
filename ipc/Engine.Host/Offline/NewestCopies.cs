using Engine.Log;
using Engine.Storage;

namespace Engine.Host.Offline;

/// <summary>
/// Which copies of a record count. A record the GC relocated has several copies in the log, and
/// its index slot points at the newest: only the newest copy's disagreement with its slot is
/// damage. Segments are walked at once, so a walk cannot know whether a later segment holds the
/// copy a slot points at; it sets aside each copy whose intact slot points further on
/// (<see cref="SlotVerdict.PointsLater"/>), and this looks at those positions once every walk is
/// over: such a copy is superseded when a record of its topic and seq, with the slot's timestamp,
/// starts there in a frame its segment's walk found valid.
/// </summary>
internal static class NewestCopies
{
    /// <summary>
    /// The problem of each record whose newest copy its slot disagrees with, by topic and seq;
    /// records below their topic's first kept seq (pruned, their segment not yet deleted) are not
    /// the index's to answer for.
    /// </summary>
    public static List<Problem> Problems(StoreFiles files, IReadOnlyList<SegmentResult> segments, IReadOnlyDictionary<uint, long> firstKept)
    {
        // The usual case, a store no GC has relocated from and nothing damaged: nothing to settle.
        if (segments.All(s => s.Copies.Count == 0)) return [];
        var copies = segments.SelectMany(s => s.Copies).ToList();
        var found = Found(files, segments, copies.Where(c => c.Verdict == SlotVerdict.PointsLater));
        var newest = new Dictionary<(uint, long), CopyProblem>();
        foreach (var copy in copies)
        {
            if (copy.Verdict == SlotVerdict.PointsLater && found.Contains((copy.Topic, copy.Seq, copy.SlotPosition, copy.SlotTimestamp))) continue;
            if (!newest.TryGetValue((copy.Topic, copy.Seq), out var other) || other.Position < copy.Position) newest[(copy.Topic, copy.Seq)] = copy;
        }
        return [.. newest.Values
            .Where(c => c.Seq >= firstKept.GetValueOrDefault(c.Topic))
            .OrderBy(c => c.Topic).ThenBy(c => c.Seq)
            .Select(c => c.Problem)];
    }

    /// <summary>The (topic, seq, position, timestamp) of each target a walk saw as a record copy.</summary>
    private static HashSet<(uint, long, long, long)> Found(StoreFiles files, IReadOnlyList<SegmentResult> segments, IEnumerable<CopyProblem> pointsLater)
    {
        var found = new HashSet<(uint, long, long, long)>();
        var targets = pointsLater.Select(c => (c.Topic, c.Seq, Position: c.SlotPosition, Timestamp: c.SlotTimestamp)).Distinct().OrderBy(t => t.Position).ToList();
        var next = 0;
        for (var s = 0; s < segments.Count && next < targets.Count; s++)
        {
            // A position belongs to the last segment that starts at or before it.
            var end = segments[s].End;
            var nextBase = s + 1 < segments.Count ? segments[s + 1].End.BasePosition : long.MaxValue;
            var first = next;
            while (next < targets.Count && targets[next].Position < nextBase) next++;
            var inSegment = targets[first..next].Where(t => t.Position >= end.BasePosition).ToList();
            if (inSegment.Count == 0 || end.EndOffset <= SegmentHeader.Length) continue;
            using var view = ReadOnlyView.Open(files.Segments[end.BasePosition], NativeFile.Access.Normal);
            // Every frame before where the walk ended was found valid: its length can be trusted
            // to step to the next, and its entries to be walked.
            var i = 0;
            for (long offset = SegmentHeader.Length; offset < end.EndOffset && i < inSegment.Count;)
            {
                var length = FrameHeader.Read(view.Span(offset, FrameHeader.Length)).FrameLength;
                var frameEnd = end.BasePosition + offset + length;
                for (; i < inSegment.Count && inSegment[i].Position < frameEnd; i++)
                {
                    var target = inSegment[i];
                    var entries = FrameDecoder.Entries(view.Span(offset, length));
                    while (entries.MoveNext())
                    {
                        if (end.BasePosition + offset + entries.CurrentOffset != target.Position) continue;
                        var entry = entries.Current;
                        if ((EntryType)entry[EntryHeader.TypeOffset] == EntryType.Record && RecordEntry.TopicId(entry) == target.Topic
                            && RecordEntry.Seq(entry) == target.Seq && RecordEntry.Timestamp(entry) == target.Timestamp)
                            found.Add(target);
                        break;
                    }
                }
                offset += length;
            }
        }
        return found;
    }
}
