using System.Diagnostics;
using Engine.Checkpoints;
using Engine.Log;
using Engine.State;
using Engine.Storage;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

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
internal sealed class StoreRecovery(IStorageMedium medium, LogState state, SegmentCatalog segments, LogEngineOptions options, ILogger logger)
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    private readonly RepairLog _repairs = new(logger);

    /// <summary>Where the writer continues, and what was found.</summary>
    public (Segment? Tail, long Position, RecoveryReport Report, CheckpointSlots Slots) Run()
    {
        var slots = CheckpointSlots.Load(medium, logger);
        var loader = new SegmentLoader(medium, options, logger, _repairs);
        var checkpoint = PickCheckpoint(slots, loader);
        loader.Load(segments, checkpoint);
        var all = segments.Snapshot;
        if (checkpoint is null && all.Count > 0 && all[0].BasePosition != 0)
            throw Corruption.At(medium.SegmentName(all[0].BasePosition), 0,
                "the log's start was removed and no intact checkpoint describes it");

        var rebuilt = new List<string>();
        if (checkpoint is not null) Restore(checkpoint, rebuilt);
        if (all.Count == 0)
        {
            var isNew = checkpoint is null && _repairs.Repairs.Count == 0;
            return (null, 0, Report(checkpoint, isNew, 0, new ReplayOutcome(), rebuilt), slots);
        }

        var start = checkpoint?.LogPosition ?? all[0].DataStart;
        var replay = Replay(start, checkpoint?.CleanShutdown ?? false, loader.ShortFiles);
        return (replay.Tail, replay.Position, Report(checkpoint, false, start, replay, rebuilt), slots);
    }

    /// <summary>
    /// The newest checkpoint whose position lies inside an intact segment. One that vouches for a
    /// position no intact segment holds means durable data is gone: <see cref="LogEngineError.Corrupted"/>
    /// naming the segment file to blame (damaged or missing), or, repairing, a reported repair that
    /// falls back to the older checkpoint, or to the log's start.
    /// </summary>
    private Checkpoint? PickCheckpoint(CheckpointSlots slots, SegmentLoader loader)
    {
        var intact = loader.Survey();
        foreach (var checkpoint in slots.NewestFirst)
        {
            if (intact.Any(s => checkpoint.LogPosition >= s.Start && checkpoint.LogPosition < s.End)) return checkpoint;
            var (file, offset, problem) = loader.Blame(checkpoint);
            var message = $"{problem}, yet checkpoint generation {checkpoint.Generation} vouches for the log up to position {checkpoint.LogPosition}";
            if (!options.RepairCorruption) throw Corruption.At(file, offset, message);
            _repairs.Add(file, offset, $"{message}; an older checkpoint is used", durable: true);
        }
        return null;
    }

    /// <summary>
    /// A shutdown was clean only if the newest checkpoint says so and nothing was written after it:
    /// a clean close followed by frames means the process that wrote them did not close.
    /// </summary>
    private RecoveryReport Report(Checkpoint? checkpoint, bool isNew, long start, ReplayOutcome replay, List<string> rebuilt) => new()
    {
        NewStore = isNew,
        CleanShutdown = checkpoint?.CleanShutdown == true && replay.Frames == 0 && _repairs.CutAt is null,
        CheckpointGeneration = checkpoint?.Generation ?? -1,
        ReplayedFrom = start,
        ReplayedBytes = replay.Bytes,
        ReplayedFrames = replay.Frames,
        CutAt = _repairs.CutAt,
        CutReason = _repairs.CutReason,
        CutDurableData = _repairs.CutDurableData,
        SegmentsDiscarded = _repairs.SegmentsDiscarded,
        Repairs = [.. _repairs.Repairs],
        RebuiltIndexes = rebuilt,
        Elapsed = _elapsed.Elapsed,
    };

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
            logger.IndexMissingRebuilding(topic.Name);
            rebuilt.Add(topic.Name);
        }
        IndexRebuilder.Rebuild(medium, segments, rebuild, checkpoint.LogPosition);
    }

    private ReplayOutcome Replay(long start, bool cleanShutdown, IReadOnlyDictionary<long, long> shortFiles)
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
            EndAt(segment, position, status, error, cleanShutdown, shortFiles, outcome);
            return outcome;
        }
    }

    /// <summary>The log ends at <paramref name="position"/>: decide torn tail or damage, then cut.</summary>
    private void EndAt(Segment segment, long position, FrameStatus status, string error, bool cleanShutdown,
        IReadOnlyDictionary<long, long> shortFiles, ReplayOutcome outcome)
    {
        var name = medium.SegmentName(segment.BasePosition);
        var offset = position - segment.BasePosition;
        var later = segments.Snapshot.Where(s => s.BasePosition > segment.BasePosition).ToList();
        var evidence = FindDurableFrameBeyond(segment, position, scanThisSegment: status == FrameStatus.Invalid, later);
        string? damage = null;
        var reportAt = offset;
        if (evidence is not null)
            damage = $"{(status == FrameStatus.Invalid ? error : "the log stops here")}, yet {evidence} shows the log was durable beyond this point";
        else if (shortFiles.TryGetValue(segment.BasePosition, out var fileLength) && offset + FrameHeader.Length > fileLength)
            // A named segment file always has its full length (it is sized before it is named), so a
            // shorter one was cut by something else, and the log ends in the part that was cut off:
            // what was there is lost, durable or not. Never a torn tail.
        {
            damage = $"the file was cut short to {fileLength} bytes of its {segment.Capacity}, and the log ends in what was cut off";
            reportAt = Math.Min(offset, fileLength); // where the bytes went missing, not where replay stopped
        }
        var cut = damage is not null || status == FrameStatus.Invalid;
        if (damage is not null)
        {
            if (!options.RepairCorruption) throw Corruption.At(name, reportAt, damage);
            _repairs.Cut(name, reportAt, damage, durable: true);
        }
        else if (status == FrameStatus.Invalid)
        {
            logger.TornTail(name, offset, error);
            _repairs.Cut(name, offset, $"torn tail: {error}", durable: false);
        }

        if (cut || !cleanShutdown || later.Count > 0)
        {
            // Whatever follows the end was never made durable: zero it, so that no remnant can be
            // mistaken for a frame once new frames are written up to it.
            medium.ZeroSegmentRange(segment.BasePosition, segment.Region, offset, segment.Capacity - offset);
        }
        if (later.Count > 0)
        {
            segments.Retire(later);
            foreach (var discarded in later)
            {
                discarded.Dispose();
                medium.DeleteSegment(discarded.BasePosition);
                _repairs.Discarded(medium.SegmentName(discarded.BasePosition));
            }
        }
        outcome.Tail = segment;
        outcome.Position = position;
    }

    /// <summary>
    /// An intact frame after <paramref name="end"/> written when the log was already durable past
    /// <paramref name="end"/>: proof that the bytes at the end were damaged, not torn. Later
    /// segments are walked frame by frame: their first frame may have been written while only the
    /// log up to the seal was durable, and a later one is what proves the seal was synced.
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
            var position = next.DataStart;
            while (position + FrameHeader.Length <= next.EndPosition
                   && FrameDecoder.TryRead(next.From(position), position, out var header, out _) == FrameStatus.Valid)
            {
                if (header.SyncedUpTo > end) return $"the frame at position {position} in {medium.SegmentName(next.BasePosition)}";
                if (header.Kind == FrameKind.Seal) break;
                position += header.FrameLength;
            }
        }
        return null;
    }

    private sealed class ReplayOutcome
    {
        public long Bytes;
        public long Frames;
        public Segment? Tail;
        public long Position;
    }
}
