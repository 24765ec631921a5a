using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Recovery;

/// <summary>
/// Everything opening a store cut, dropped or gave up, so that the report says all of it: a
/// repair that loses acknowledged records and says nothing is worse than the damage itself.
/// Each entry is also logged as it happens.
/// </summary>
internal sealed class RepairLog(ILogger logger)
{
    private readonly List<string> _repairs = [];

    /// <summary>Where the log was cut, if it was (the first cut wins: it is where the log ends).</summary>
    public string? CutAt { get; private set; }

    /// <summary>Why.</summary>
    public string? CutReason { get; private set; }

    /// <summary>Whether anything cut or dropped had been durable.</summary>
    public bool CutDurableData { get; private set; }

    /// <summary>Segment files deleted because they lay past the cut.</summary>
    public int SegmentsDiscarded { get; private set; }

    /// <summary>One line per repair, in the order they were made.</summary>
    public IReadOnlyList<string> Repairs => _repairs;

    /// <summary>Damage repaired without cutting the log (a lost segment before the replay start).</summary>
    public void Add(string file, long offset, string what, bool durable)
    {
        logger.Repaired(file, offset, what);
        _repairs.Add($"{file} byte {offset}: {what}");
        CutDurableData |= durable;
        if (CutReason is null)
        {
            CutAt = $"{file} byte {offset}";
            CutReason = what;
        }
    }

    /// <summary>The log ends here.</summary>
    public void Cut(string file, long offset, string why, bool durable)
    {
        if (durable) logger.RepairCut(file, offset, why);
        _repairs.Add($"{file} byte {offset}: cut: {why}");
        CutDurableData |= durable;
        CutAt = $"{file} byte {offset}";
        CutReason = why;
    }

    /// <summary>A segment file deleted because it lay past the end of the log.</summary>
    public void Discarded(string file)
    {
        logger.SegmentDiscarded(file);
        _repairs.Add($"{file}: discarded, it lay past the end of the log");
        SegmentsDiscarded++;
    }
}
