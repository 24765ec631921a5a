using Engine.Checkpoints;
using Engine.Log;
using Engine.Storage;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Recovery;

/// <summary>
/// Opens the segment files of a store and reconciles them with the segment catalog of the
/// checkpoint recovery uses (format-spec.md §7.2, steps 3 and 4):
/// <list type="bullet">
/// <item>a file the catalog does not list, lying before the last segment it lists, is one the GC
///   retired and a crash kept from being deleted: the deletion is finished;</item>
/// <item>a segment the catalog lists must be there, intact and whole;</item>
/// <item>after the last listed segment (or from the start, without a catalog) segments must follow
///   each other without a gap: the log written since the checkpoint.</item>
/// </list>
/// Anything else is damage: <see cref="LogEngineError.Corrupted"/> naming the file, or with
/// <c>RepairCorruption</c> a repair that the report always names. A damaged segment before the
/// one replay starts in becomes a hole (its records are lost, the rest is kept); from that one on,
/// the log is cut at the damaged segment.
/// </summary>
internal sealed class SegmentLoader(IStorageMedium medium, LogEngineOptions options, ILogger logger, RepairLog repairs)
{
    /// <summary>One segment file as found: its header, or why it cannot be used.</summary>
    private sealed record Found(long BasePosition, SegmentHeader Header, string? Problem, long FileLength);

    /// <summary>Segment files that are shorter than their capacity: base → the file's length.</summary>
    public Dictionary<long, long> ShortFiles { get; } = [];

    /// <summary>Reads every segment header; the checkpoint is picked from these, then <see cref="Load"/> opens them.</summary>
    public IReadOnlyList<(long Start, long End)> Survey()
    {
        _found.Clear();
        Span<byte> headerBytes = stackalloc byte[SegmentHeader.Length];
        foreach (var basePosition in medium.ListSegments().Order())
        {
            var read = medium.ReadSegmentStart(basePosition, headerBytes);
            string? problem = null;
            if (!SegmentHeader.TryRead(headerBytes[..read], out var header, out var error)) problem = error;
            else if (header.BasePosition != basePosition) problem = $"header says base {header.BasePosition}, the name says {basePosition}";
            _found.Add(new Found(basePosition, header, problem, problem is null ? medium.SegmentFileLength(basePosition) : 0));
        }
        return [.. _found.Where(f => f.Problem is null).Select(f => (f.BasePosition + SegmentHeader.Length, f.BasePosition + f.Header.Capacity))];
    }

    private readonly List<Found> _found = [];

    /// <summary>
    /// Which segment file is to blame when <paramref name="checkpoint"/> vouches for a position no
    /// intact segment holds: one its catalog lists that is missing, the damaged one the position
    /// falls in, or the missing one after the last intact segment.
    /// </summary>
    public (string File, long Offset, string Problem) Blame(Checkpoint checkpoint)
    {
        var position = checkpoint.LogPosition;
        var found = _found.Where(f => f.BasePosition <= position).MaxBy(f => f.BasePosition);
        var listedMissing = (checkpoint.Segments ?? []).Where(b => b <= position && b > (found?.BasePosition ?? -1)).DefaultIfEmpty(-1).Max();
        if (listedMissing >= 0) return (medium.SegmentName(listedMissing), 0, "the segment catalog lists this segment, but the file is missing");
        if (found is { Problem: { } problem }) return (medium.SegmentName(found.BasePosition), 0, problem);
        if (found is not null)
        {
            var next = found.BasePosition + found.Header.Capacity;
            return (medium.SegmentName(next), 0, $"the file is missing: the segments end at {next}");
        }
        return ("checkpoint", 0, "no segment file holds the log");
    }

    /// <summary>Opens the segments into <paramref name="catalog"/>, reconciled with <paramref name="checkpoint"/>.</summary>
    public void Load(SegmentCatalog catalog, Checkpoint? checkpoint)
    {
        var listed = checkpoint?.Segments is { } bases ? new HashSet<long>(bases) : null;
        var lastListed = listed is { Count: > 0 } ? listed.Max() : -1;
        var replayFrom = checkpoint?.LogPosition ?? 0;
        var all = _found.ToDictionary(f => f.BasePosition);
        Segment? previous = null;
        foreach (var basePosition in all.Keys.Union(listed ?? []).Order())
        {
            var name = medium.SegmentName(basePosition);
            var isListed = listed?.Contains(basePosition) == true;
            if (!all.TryGetValue(basePosition, out var found))
            {
                var missing = $"the segment catalog of checkpoint generation {checkpoint!.Generation} lists it, but the file is missing";
                if (Damaged(name, 0, missing, before: basePosition < lastListed)) continue;
                DropFrom(basePosition, name);
                return;
            }
            if (listed is not null && !isListed && basePosition < lastListed)
            {
                // Retired by the GC, which checkpoints before it deletes: the crash came in between.
                logger.FinishingRetiredDeletion(name);
                medium.DeleteSegment(basePosition);
                continue;
            }
            // Before the segment replay starts in, the catalog says what belongs; holes are fine there.
            var beforeReplay = isListed && found.Problem is null && basePosition + found.Header.Capacity <= replayFrom;
            var problem = found.Problem;
            var offset = 0L;
            if (problem is null && previous is not null && !isListed && previous.EndPosition != basePosition)
                problem = $"a gap: the previous segment ends at {previous.EndPosition}";
            if (problem is null && found.FileLength < found.Header.Capacity)
            {
                ShortFiles[basePosition] = found.FileLength;
                if (beforeReplay)
                {
                    problem = $"the file was cut short to {found.FileLength} bytes of its {found.Header.Capacity}";
                    offset = found.FileLength;
                }
            }
            if (problem is not null)
            {
                if (!Damaged(name, offset, problem, before: beforeReplay || (isListed && basePosition < lastListed && found.Problem is not null)))
                {
                    DropFrom(basePosition, name);
                    return;
                }
                if (found.Problem is not null) continue; // an unreadable header: the segment becomes a hole
            }
            var segment = new Segment(basePosition, found.Header.Capacity, medium.OpenSegment(basePosition, found.Header.Capacity));
            if (previous is null || previous.EndPosition == basePosition) catalog.Append(segment);
            else catalog.AppendAfterHole(segment);
            previous = segment;
        }
    }

    /// <summary>
    /// Damage found: fails the open, or (repairing) records what is lost. True when the rest of
    /// the log can be kept (the damage lies before replay: it becomes a hole); false when the log
    /// must be cut at it.
    /// </summary>
    private bool Damaged(string file, long offset, string problem, bool before)
    {
        if (!options.RepairCorruption) throw Corruption.At(file, offset, problem);
        if (before)
        {
            repairs.Add(file, offset, $"{problem}; the records in it are lost, the rest of the log is kept", durable: true);
            return true;
        }
        repairs.Cut(file, offset, $"{problem}; the log is cut here", durable: true);
        return false;
    }

    private void DropFrom(long basePosition, string name)
    {
        var dropped = medium.ListSegments().Where(b => b >= basePosition).Order().ToList();
        foreach (var later in dropped)
        {
            medium.DeleteSegment(later);
            repairs.Discarded(medium.SegmentName(later));
        }
        logger.SegmentsDropped(dropped.Count, name);
    }
}
