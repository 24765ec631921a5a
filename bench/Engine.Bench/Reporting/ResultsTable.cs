namespace Engine.Bench.Reporting;

/// <summary>
/// Prints the run as one plain-text table (workload, metric, Engine's figure, the baseline and its
/// figure, the ratio, the target), then each workload's status and notes. Plain text so
/// it pastes into RESULTS.md and CI logs unchanged.
/// </summary>
internal static class ResultsTable
{
    private static readonly string[] Headers = ["workload", "metric", "Engine", "baseline", "baseline figure", "ratio", "target"];

    public static void Write(TextWriter output, IReadOnlyList<WorkloadOutcome> outcomes)
    {
        var rows = new List<string[]>();
        foreach (var outcome in outcomes)
        {
            if (outcome.Measurements.Count == 0)
                rows.Add([outcome.Workload, outcome.Status.ToString().ToLowerInvariant(), "—", "—", "—", "—", ""]);
            foreach (var m in outcome.Measurements)
            {
                rows.Add([
                    m.Workload,
                    m.Metric,
                    $"{Figures.Format(m.Engine)} {m.Unit}",
                    m.BaselineName ?? "—",
                    m.Baseline is { } b ? $"{Figures.Format(b)} {m.Unit}" : "—",
                    Figures.Ratio(m.Ratio),
                    m.Target ?? "",
                ]);
            }
        }
        WriteAligned(output, rows);
        output.WriteLine("ratio = how many times better Engine is (Engine/baseline for rates, baseline/Engine for times)");
        output.WriteLine();
        foreach (var outcome in outcomes)
        {
            var reason = outcome.Reason is null ? "" : $": {outcome.Reason}";
            output.WriteLine($"{outcome.Workload,-4} {outcome.Status.ToString().ToLowerInvariant(),-8} {outcome.Elapsed.TotalSeconds,6:0.0} s  {outcome.Title}{reason}");
            foreach (var note in outcome.Notes) output.WriteLine($"       note: {note}");
        }
    }

    private static void WriteAligned(TextWriter output, List<string[]> rows)
    {
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        // Figures are right-aligned so their digits line up; names left-aligned.
        var rightAligned = new[] { false, false, true, false, true, true, false };
        string Line(string[] cells) => string.Join(" | ", cells.Select((c, i) => rightAligned[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(Headers));
        output.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
