using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Engine.Bench.Measuring;

/// <summary>
/// The durations of the engine's own fsyncs while it is listening, read from the engine's
/// <c>engine.fsync.duration</c> histogram. A durable commit's latency is at least one of these (and
/// up to two, when it arrives while one is in flight), so commit latency is best judged against
/// the fsyncs of the same run: the disk's tail moves several-fold from one minute to the next.
/// </summary>
internal sealed class EngineFsyncs : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _microseconds = new();

    public EngineFsyncs()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.MeterName && instrument.Name == "engine.fsync.duration") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => _microseconds.Enqueue(seconds * 1e6));
        _listener.Start();
    }

    public int Count => _microseconds.Count;

    public double PercentileMicroseconds(double percentile)
    {
        var sorted = _microseconds.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * percentile / 100))];
    }

    public void Dispose() => _listener.Dispose();
}
