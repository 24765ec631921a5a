using System.Diagnostics;
using System.Numerics;

namespace Engine.Bench.Measuring;

/// <summary>
/// Latencies of an open-ended run (as many operations as fit in a time window), kept in
/// log-linear buckets of about 1.6% width, so recording never allocates or grows an array (which
/// would itself stall the loop being measured). The maximum is kept exactly. One writer; read
/// once the writer is done.
/// </summary>
internal sealed class LatencyHistogram
{
    // Values below 128 ticks have a bucket each; above, each power of two is split into 64 buckets.
    private const int LinearBuckets = 128;
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;

    private readonly long[] _counts = new long[LinearBuckets + (63 - SubBucketBits) * SubBuckets];
    private long _count;
    private long _maxTicks;

    public long Count => _count;

    public double MaxMicroseconds => ToMicroseconds(_maxTicks);

    /// <summary>Records one latency of <paramref name="ticks"/> <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        ticks = Math.Max(0, ticks);
        _counts[Bucket(ticks)]++;
        _count++;
        if (ticks > _maxTicks) _maxTicks = ticks;
    }

    /// <summary>
    /// The <paramref name="percentile"/>th (0–100) latency in microseconds, nearest rank, as the upper
    /// edge of its bucket (at most the exact maximum): never lower than the true value, at most 1.6% higher.
    /// </summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (_count == 0) return 0;
        var rank = Math.Clamp((long)Math.Ceiling(percentile / 100 * _count), 1, _count);
        long seen = 0;
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank) return ToMicroseconds(Math.Min(UpperEdge(bucket), _maxTicks));
        }
        return MaxMicroseconds;
    }

    private static int Bucket(long ticks)
    {
        if (ticks < LinearBuckets) return (int)ticks;
        var shift = BitOperations.Log2((ulong)ticks) - SubBucketBits; // ≥ 1: ticks >> shift is in [64, 128)
        return LinearBuckets + (shift - 1) * SubBuckets + (int)((ticks >> shift) - SubBuckets);
    }

    private static long UpperEdge(int bucket)
    {
        if (bucket < LinearBuckets) return bucket;
        var shift = (bucket - LinearBuckets) / SubBuckets + 1;
        var mantissa = (bucket - LinearBuckets) % SubBuckets + SubBuckets;
        return ((mantissa + 1L) << shift) - 1;
    }

    private static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
