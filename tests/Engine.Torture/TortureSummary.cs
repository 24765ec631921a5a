using System.Globalization;
using System.Text;

namespace Engine.Torture;

/// <summary>The figures of a run: what was killed, what was checked, how long reopening took.</summary>
public sealed class TortureSummary
{
    public int Cycles { get; set; }

    /// <summary>Cycles whose verification (or reopen, or child) failed.</summary>
    public int FailedCycles { get; set; }

    /// <summary>The first failures, each naming its cycle.</summary>
    public List<string> Failures { get; } = [];

    public List<double> ReopenMilliseconds { get; } = [];

    public long RecordsRead { get; set; }

    /// <summary>Records the children reported as committed (each store's ledger, summed).</summary>
    public long AcknowledgedRecords { get; set; }

    /// <summary>Acknowledged records found with their exact bytes, summed over every cycle's check.</summary>
    public long AcknowledgedVerified { get; set; }

    /// <summary>Opens after a kill that reported repairs (torn tails cut and the like).</summary>
    public int RepairedOpens { get; set; }

    public long GcRuns { get; set; }
    public long GcPruned { get; set; }
    public long GcRelocated { get; set; }
    public long GcSegmentsDeleted { get; set; }
    public long GcChunksDeleted { get; set; }

    public double Percentile(double p)
    {
        if (ReopenMilliseconds.Count == 0) return 0;
        var sorted = ReopenMilliseconds.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"cycles: {Cycles}, failed cycles: {FailedCycles}");
        text.AppendLine(c, $"reopen after kill: p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, max {(ReopenMilliseconds.Count == 0 ? 0 : ReopenMilliseconds.Max()):F1} ms; opens that repaired something: {RepairedOpens}");
        text.AppendLine(c, $"acknowledged records: {AcknowledgedRecords}; checks of an acknowledged record's exact bytes (every cycle rechecks its store): {AcknowledgedVerified}; records read back and decoded: {RecordsRead}");
        text.AppendLine(c, $"explicit GC runs acknowledged: {GcRuns} (pruned {GcPruned}, relocated {GcRelocated}, segments deleted {GcSegmentsDeleted}, index chunks deleted {GcChunksDeleted}); periodic GC ran too");
        foreach (var failure in Failures) text.AppendLine(c, $"FAILURE {failure}");
        return text.ToString();
    }
}
