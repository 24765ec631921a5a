namespace Engine.Bench.Reporting;

/// <summary>
/// One row of the results table: a figure of Engine's and, when there is one, the same figure of
/// a baseline measured in the same run. <see cref="Ratio"/> always reads "how many times better
/// Engine is", so a ratio above 1 is good whichever way the unit points.
/// </summary>
internal sealed record Measurement(
    string Workload,
    string Metric,
    string Unit,
    double Engine,
    string? BaselineName = null,
    double? Baseline = null,
    bool HigherIsBetter = true,
    string? Target = null)
{
    public double? Ratio => Baseline is { } baseline && baseline > 0 && Engine > 0
        ? HigherIsBetter ? Engine / baseline : baseline / Engine
        : null;
}
