using System.Runtime.CompilerServices;
using Engine.Log;

namespace Engine.Host.Offline;

/// <summary>A copy of a record whose slot does not point at it, with where it is and what the slot says.</summary>
internal readonly record struct CopyProblem(uint Topic, long Seq, long Position, Problem Problem, SlotVerdict Verdict, long SlotPosition, long SlotTimestamp);

/// <summary>
/// What <see cref="SegmentCheck"/> found in one segment: where its walk ended, counts, the copies
/// of records their slots disagree with, and the first kept seq of each topic its prune entries give.
/// </summary>
internal sealed record SegmentResult(SegmentEnd End, long Frames, long Records, IReadOnlyList<CopyProblem> Copies, IReadOnlyDictionary<uint, long> FirstKeptSeqs);

/// <summary>
/// Checks one segment: each frame with the engine's decoder (see <see cref="SegmentReader"/>),
/// then each record of a valid frame against its index slot. Segments are independent files, so
/// several are checked at once; what needs the whole log (which copy of a record is its newest,
/// which topic's seqs are pruned) is left to <see cref="Verifier"/>.
/// </summary>
internal static class SegmentCheck
{
    /// <summary>Progress is told every this many bytes of frames, not every frame.</summary>
    private const long ProgressStep = 8L << 20;

    // Optimised from its first call: a short-lived command spends its whole run in this loop,
    // which tiered compilation would start slow and replace only when the run is nearly over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SegmentResult Run(string file, string path, long basePosition, IndexSlots.Reader index, Action<long> progress)
    {
        using var segment = SegmentReader.Open(file, path, basePosition);
        long frames = 0, records = 0, told = 0;
        List<CopyProblem>? copies = null;
        Dictionary<uint, long>? firstKept = null;
        while (segment.MoveNext())
        {
            frames++;
            var framePosition = basePosition + segment.CurrentOffset;
            // The entries as spans of the mapped frame: no copy and no list per record.
            var entries = FrameDecoder.Entries(segment.CurrentBytes);
            while (entries.MoveNext())
            {
                var entry = entries.Current;
                var type = (EntryType)entry[EntryHeader.TypeOffset];
                if (type == EntryType.Record)
                {
                    records++;
                    var (topic, seq) = (RecordEntry.TopicId(entry), RecordEntry.Seq(entry));
                    var position = framePosition + entries.CurrentOffset;
                    var verdict = index.Check(topic, seq, position, RecordEntry.Timestamp(entry), out var problem, out var slotPosition, out var slotTimestamp);
                    if (verdict != SlotVerdict.Matches)
                        (copies ??= []).Add(new CopyProblem(topic, seq, position, problem!, verdict, slotPosition, slotTimestamp));
                }
                else if (type == EntryType.TopicPruned)
                {
                    firstKept ??= [];
                    var topic = TopicPrunedEntry.TopicId(entry);
                    firstKept[topic] = Math.Max(firstKept.GetValueOrDefault(topic), TopicPrunedEntry.FirstKeptSeq(entry));
                }
            }
            if (segment.CurrentOffset - told >= ProgressStep)
            {
                progress(segment.CurrentOffset - told);
                told = segment.CurrentOffset;
            }
        }
        var end = segment.End();
        progress(end.Capacity - told);
        return new SegmentResult(end, frames, records, (IReadOnlyList<CopyProblem>?)copies ?? [], (IReadOnlyDictionary<uint, long>?)firstKept ?? new Dictionary<uint, long>());
    }
}
