using System.Diagnostics;

namespace Engine.Bench.Measuring;

/// <summary>
/// One latency slot per operation index, written without locks (each index has one writer);
/// percentiles are read by sorting once the run is over.
/// </summary>
internal sealed class LatencyRecorder(int operations)
{
    private readonly long[] _ticks = new long[operations];
    private int _recorded;

    /// <summary>Records that operation <paramref name="index"/> started at <paramref name="startTimestamp"/> and ends now.</summary>
    public void Record(int index, long startTimestamp)
    {
        _ticks[index] = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Increment(ref _recorded);
    }

    public int Count => Volatile.Read(ref _recorded);

    public int Capacity => _ticks.Length;

    /// <summary>The <paramref name="percentile"/>th (0–100) latency in microseconds, nearest rank.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        var sorted = _ticks[..Count];
        Array.Sort(sorted);
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
