using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Engine.Tests.Telemetry;

/// <summary>
/// Listens to the engine's meter and keeps, per instrument, the sum of what was recorded and each
/// value with its tags. The meter is process-wide and other tests run alongside, so tests check
/// that their own work moved an instrument by at least what it did, or find their own store by tag.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentQueue<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _values = new();

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i.Name, v, tags));
        _listener.Start();
    }

    public double Sum(string name) => _sums.GetValueOrDefault(name);

    public IReadOnlyList<double> Values(string name) => [.. _values.Where(v => v.Name == name).Select(v => v.Value)];

    /// <summary>Collects the observable gauges now and returns <paramref name="name"/>'s value for the store tagged <paramref name="store"/>.</summary>
    public double? Observe(string name, string store)
    {
        _listener.RecordObservableInstruments();
        return _values.Where(v => v.Name == name && v.Tags.Any(t => t.Key == "engine.store" && (string?)t.Value == store))
            .Select(v => (double?)v.Value).LastOrDefault();
    }

    /// <summary>The sum of <paramref name="name"/>'s values recorded with every one of <paramref name="tags"/>.</summary>
    public double SumTagged(string name, params (string Key, string Value)[] tags) =>
        _values.Where(v => v.Name == name && HasTags(v.Tags, tags)).Sum(v => v.Value);

    /// <summary>Collects the observable gauges now and returns <paramref name="name"/>'s last value carrying every one of <paramref name="tags"/>.</summary>
    public double? ObserveTagged(string name, params (string Key, string Value)[] tags)
    {
        _listener.RecordObservableInstruments();
        return _values.Where(v => v.Name == name && HasTags(v.Tags, tags)).Select(v => (double?)v.Value).LastOrDefault();
    }

    private static bool HasTags(KeyValuePair<string, object?>[] recorded, (string Key, string Value)[] wanted) =>
        wanted.All(w => recorded.Any(t => t.Key == w.Key && (string?)t.Value == w.Value));

    private void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _sums.AddOrUpdate(name, value, (_, sum) => sum + value);
        _values.Enqueue((name, value, tags.ToArray()));
    }

    public void Dispose() => _listener.Dispose();
}
