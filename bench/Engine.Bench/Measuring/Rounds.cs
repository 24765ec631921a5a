namespace Engine.Bench.Measuring;

/// <summary>
/// Repeated, alternated measurements: a throughput workload over a few hundred milliseconds moves
/// by 2-4x between single runs on a small shared machine (writeback of the previous run's pages,
/// tiering of the JIT, a neighbour's build). Each side is measured in turn, a few rounds, and the
/// median of each is reported, so one unlucky round of either side decides nothing.
/// </summary>
internal static class Rounds
{
    /// <summary>Rounds at full size; one under --quick, which only checks that everything works.</summary>
    public static int Count(BenchContext context) => context.Quick ? 1 : 3;

    public static TimeSpan Median(IReadOnlyList<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Every round's figure, for a note: "a, b, c" and the unit, if any.</summary>
    public static string List(IEnumerable<TimeSpan> times, Func<TimeSpan, double> figure, string? unit = null) =>
        string.Join(", ", times.Select(t => $"{figure(t):N0}")) + (unit is null ? "" : " " + unit);
}
