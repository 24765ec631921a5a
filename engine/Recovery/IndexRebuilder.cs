using System.Collections;
using Engine.Log;
using Engine.Storage;
using Engine.Topics;

namespace Engine.Recovery;

/// <summary>
/// Rebuilds topic indexes from the log: every intact record of the topics, up to a position,
/// goes back into its slot (a later copy made by compaction wins over the original). Every kept
/// seq must be found, or the log itself has lost records: <see cref="LogEngineError.Corrupted"/>.
/// </summary>
internal static class IndexRebuilder
{
    public static void Rebuild(IStorageMedium medium, SegmentCatalog segments, IReadOnlyList<(Topic Topic, long First, long Next)> topics, long upTo)
    {
        var wanted = topics.ToDictionary(t => t.Topic.Id, t => (t.Topic, t.First, t.Next, Found: new BitArray(checked((int)(t.Next - t.First)))));
        foreach (var segment in segments.Snapshot)
        {
            var position = segment.DataStart;
            while (position < upTo && position < segment.EndPosition)
            {
                var status = FrameDecoder.TryRead(segment.From(position), position, out var header, out var error);
                if (status != FrameStatus.Valid)
                    throw Corruption.At(medium.SegmentName(segment.BasePosition), position - segment.BasePosition, $"while rebuilding an index: {error}");
                if (header.Kind == FrameKind.Seal) break;
                var frame = segment.From(position)[..header.FrameLength];
                var entries = FrameDecoder.Entries(frame);
                while (entries.MoveNext())
                {
                    var entry = entries.Current;
                    if ((EntryType)entry[EntryHeader.TypeOffset] != EntryType.Record) continue;
                    if (!wanted.TryGetValue(RecordEntry.TopicId(entry), out var target)) continue;
                    var seq = RecordEntry.Seq(entry);
                    if (seq < target.First || seq >= target.Next) continue;
                    target.Topic.Index.Set(seq, position + entries.CurrentOffset, RecordEntry.Timestamp(entry));
                    target.Found[(int)(seq - target.First)] = true;
                }
                position += header.FrameLength;
            }
        }
        foreach (var (topic, first, _, found) in wanted.Values)
        {
            for (var i = 0; i < found.Length; i++)
            {
                if (!found[i])
                    throw new LogEngineException(LogEngineError.Corrupted,
                        $"rebuilding the index of topic '{topic.Name}': record seq {first + i} is not in the log");
            }
        }
    }
}
