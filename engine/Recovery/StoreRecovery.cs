using System.Diagnostics;
using Engine.Checkpoints;
using Engine.Log;
using Engine.State;
using Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Engine.Recovery;

/// <summary>
/// Opens a store's log: the steps, in order (format-spec.md tells the same story):
/// <list type="number">
/// <item>Read both checkpoint slots; the newest intact one that the segments cover wins.</item>
/// <item>Check every segment header and that segments follow each other without gaps.</item>
/// <item>Restore topics and procs from the checkpoint and map their index chunks; a topic whose
///   chunks are missing or damaged has its index rebuilt from the log before the checkpoint.</item>
/// <item>Replay frames after the checkpoint, applying each one exactly as the live path did.</item>
/// <item>At the first frame that is not intact, decide: if a later intact frame says the log was
///   durable beyond this point (its <c>syncedUpTo</c>), the bytes were damaged after they were
///   written: fail with <see cref="LogEngineError.Corrupted"/> naming file and offset, unless the
///   caller opted into repair. Otherwise it is a torn tail: cut there, zero what follows, drop any
///   later segment, and say so in the log.</item>
/// </list>
/// Nothing before the checkpoint is read unless an index must be rebuilt, so opening costs the
/// log written since the last checkpoint, not the size of the store.
/// </summary>
internal sealed class StoreRecovery(IStorageMedium medium, LogState state, SegmentSet segments, LogEngineOptions options, ILogger logger)
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    /// <summary>Where the writer continues, and what was found.</summary>
    public (Segment? Tail, long Position, RecoveryReport Report, CheckpointSlots Slots) Run()
    {
        var slots = CheckpointSlots.Load(medium, logger);
        OpenSegments();
        var all = segments.Snapshot;
        var checkpoint = slots.Pick(all, logger);
        if (checkpoint is null && all.Count > 0 && all[0].BasePosition != 0)
            throw Corruption.At(medium.SegmentName(all[0].BasePosition), 0,
                "the log's start was removed and no intact checkpoint describes it");

        var rebuilt = new List<string>();
        if (checkpoint is not null) Restore(checkpoint, rebuilt);
        if (all.Count == 0)
        {
            return (null, 0, new RecoveryReport { CleanShutdown = checkpoint?.CleanShutdown ?? true, Elapsed = _elapsed.Elapsed }, slots);
        }

        var start = checkpoint?.LogPosition ?? all[0].DataStart;
        var replay = Replay(start, checkpoint?.CleanShutdown ?? false);
        var report = new RecoveryReport
        {
            CleanShutdown = checkpoint?.CleanShutdown ?? false,
            CheckpointGeneration = checkpoint?.Generation ?? -1,
            ReplayedFrom = start,
            ReplayedBytes = replay.Bytes,
            ReplayedFrames = replay.Frames,
            CutAt = replay.CutAt,
            CutReason = replay.CutReason,
            CutDurableData = replay.CutDurable,
            SegmentsDiscarded = replay.Discarded,
            RebuiltIndexes = rebuilt,
            Elapsed = _elapsed.Elapsed,
        };
        return (replay.Tail, replay.Position, report, slots);
    }

    private void OpenSegments()
    {
        Span<byte> headerBytes = stackalloc byte[SegmentHeader.Length];
        Segment? previous = null;
        foreach (var basePosition in medium.ListSegments().Order())
        {
            var name = medium.SegmentName(basePosition);
            var read = medium.ReadSegmentStart(basePosition, headerBytes);
            string? problem = null;
            if (!SegmentHeader.TryRead(headerBytes[..read], out var header, out var error)) problem = error;
            else if (header.BasePosition != basePosition) problem = $"header says base {header.BasePosition}, the name says {basePosition}";
            else if (previous is not null && previous.EndPosition != basePosition) problem = $"a gap: the previous segment ends at {previous.EndPosition}";
            if (problem is not null)
            {
                if (!options.RepairCorruption) throw Corruption.At(name, 0, problem);
                logger.LogError("Repair: dropping segment {Segment} and every later one: {Problem}", name, problem);
                DropFrom(basePosition);
                return;
            }
            previous = new Segment(basePosition, header.Capacity, medium.OpenSegment(basePosition, header.Capacity));
            segments.Append(previous);
        }
    }

    private void DropFrom(long basePosition)
    {
        foreach (var later in medium.ListSegments().Where(b => b >= basePosition)) medium.DeleteSegment(later);
    }

    private void Restore(Checkpoint checkpoint, List<string> rebuilt)
    {
        var rebuild = new List<(Engine.Topics.Topic Topic, long First, long Next)>();
        foreach (var saved in checkpoint.Topics)
        {
            var topic = state.AddTopic(saved.Id, saved.Name);
            topic.AppendSeq = saved.NextSeq;
            topic.NextSeq = saved.NextSeq;
            topic.FirstSeq = saved.FirstSeq;
            topic.LastTimestamp = saved.LastTimestamp;
            if (!topic.Index.TryOpenExisting(saved.FirstSeq, saved.NextSeq)) rebuild.Add((topic, saved.FirstSeq, saved.NextSeq));
        }
        state.Topics.NextId = Math.Max(state.Topics.NextId, checkpoint.NextTopicId);
        state.RestoreSections(checkpoint.Sections);
        if (rebuild.Count == 0) return;

        foreach (var (topic, _, _) in rebuild)
        {
            logger.LogWarning("Index of topic {Topic} is missing or damaged; rebuilding it from the log", topic.Name);
            rebuilt.Add(topic.Name);
        }
        IndexRebuilder.Rebuild(medium, segments, rebuild, checkpoint.LogPosition);
    }

    private ReplayOutcome Replay(long start, bool cleanShutdown)
    {
        var segment = segments.Find(start);
        if (segment is null || start < segment.DataStart)
        {
            var last = segments.Last!;
            throw Corruption.At(medium.SegmentName(last.BasePosition), last.Capacity,
                $"the checkpoint says the log reaches position {start}, but the segments end at {last.EndPosition}");
        }
        var outcome = new ReplayOutcome();
        var position = start;
        while (true)
        {
            var status = FrameDecoder.TryRead(segment.From(position), position, out var header, out var error);
            if (status == FrameStatus.Valid && header.Kind == FrameKind.Seal)
            {
                var next = segments.Find(segment.EndPosition);
                if (next is not null)
                {
                    outcome.Bytes += header.FrameLength;
                    segment = next;
                    position = next.DataStart;
                    continue;
                }
                // A sealed tail whose successor was never created: the end is here, and the seal
                // is cut so the writer can continue in this segment.
                status = FrameStatus.Empty;
            }
            if (status == FrameStatus.Valid)
            {
                try
                {
                    state.Apply(segment.From(position)[..header.FrameLength], position);
                }
                catch (LogInconsistencyException e)
                {
                    throw Corruption.At(medium.SegmentName(segment.BasePosition), position - segment.BasePosition, e.Message);
                }
                position += header.FrameLength;
                outcome.Bytes += header.FrameLength;
                outcome.Frames++;
                continue;
            }
            EndAt(segment, position, status, error, cleanShutdown, outcome);
            return outcome;
        }
    }

    /// <summary>The log ends at <paramref name="position"/>: decide torn tail or damage, then cut.</summary>
    private void EndAt(Segment segment, long position, FrameStatus status, string error, bool cleanShutdown, ReplayOutcome outcome)
    {
        var name = medium.SegmentName(segment.BasePosition);
        var offset = position - segment.BasePosition;
        var later = segments.Snapshot.Where(s => s.BasePosition > segment.BasePosition).ToList();
        var evidence = FindDurableFrameBeyond(segment, position, scanThisSegment: status == FrameStatus.Invalid, later);
        if (evidence is not null)
        {
            var what = status == FrameStatus.Invalid ? error : "the log stops here";
            var message = $"{what}, yet {evidence} shows the log was durable beyond this point";
            if (!options.RepairCorruption) throw Corruption.At(name, offset, message);
            logger.LogError("Repair: cutting the log at {File} byte {Offset}: {Problem}", name, offset, message);
            outcome.CutDurable = true;
            outcome.CutReason = message;
        }
        else if (status == FrameStatus.Invalid)
        {
            outcome.CutReason = $"torn tail: {error}";
            logger.LogWarning("Torn tail: cutting the log at {File} byte {Offset} ({Problem}); nothing after it was durable", name, offset, error);
        }

        if (status == FrameStatus.Invalid || outcome.CutDurable || !cleanShutdown || later.Count > 0)
        {
            // Whatever follows the end was never made durable: zero it, so that no remnant can be
            // mistaken for a frame once new frames are written up to it.
            medium.ZeroSegmentRange(segment.BasePosition, segment.Region, offset, segment.Capacity - offset);
        }
        if (outcome.CutReason is not null) outcome.CutAt = $"{name} byte {offset}";
        if (later.Count > 0)
        {
            segments.Remove(later);
            foreach (var discarded in later)
            {
                discarded.Dispose();
                medium.DeleteSegment(discarded.BasePosition);
                logger.LogWarning("Discarded segment {Segment}, which lay past the end of the log", medium.SegmentName(discarded.BasePosition));
            }
            outcome.Discarded = later.Count;
        }
        outcome.Tail = segment;
        outcome.Position = position;
    }

    /// <summary>
    /// An intact frame after <paramref name="end"/> written when the log was already durable past
    /// <paramref name="end"/>: proof that the bytes at the end were damaged, not torn.
    /// </summary>
    private string? FindDurableFrameBeyond(Segment segment, long end, bool scanThisSegment, List<Segment> later)
    {
        if (scanThisSegment)
        {
            for (var candidate = end + 8; candidate + FrameHeader.Length <= segment.EndPosition; candidate += 8)
            {
                var bytes = segment.From(candidate);
                if (FrameHeader.Read(bytes).Position != candidate) continue;
                if (FrameDecoder.TryRead(bytes, candidate, out var header, out _) == FrameStatus.Valid && header.SyncedUpTo > end)
                    return $"the frame at position {candidate}";
            }
        }
        foreach (var next in later)
        {
            if (FrameDecoder.TryRead(next.From(next.DataStart), next.DataStart, out var header, out _) == FrameStatus.Valid && header.SyncedUpTo > end)
                return $"the first frame of {medium.SegmentName(next.BasePosition)}";
        }
        return null;
    }

    private sealed class ReplayOutcome
    {
        public long Bytes;
        public long Frames;
        public string? CutAt;
        public string? CutReason;
        public bool CutDurable;
        public int Discarded;
        public Segment? Tail;
        public long Position;
    }
}
