namespace Engine.Bench.Measuring;

/// <summary>Turns counts and times into the table's units.</summary>
internal static class Rates
{
    public static double PerSecond(long count, TimeSpan elapsed) => count / Math.Max(elapsed.TotalSeconds, 1e-9);

    /// <summary>Decimal megabytes per second (10^6 bytes), as disk bandwidth is usually quoted.</summary>
    public static double MegabytesPerSecond(long bytes, TimeSpan elapsed) => bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9);
}
