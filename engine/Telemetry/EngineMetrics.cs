using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Engine.Telemetry;

/// <summary>
/// The engine's instruments. They are static (one meter for the process, every open engine
/// reporting into it) and cheap when nobody listens: each call site checks
/// <see cref="Instrument.Enabled"/> first, so the commit path pays one field read per instrument
/// and takes no timestamps and allocates nothing unless a listener subscribed. Names follow the
/// OpenTelemetry messaging conventions where one fits (sent/consumed messages), units are UCUM
/// (<c>s</c>, <c>By</c>, <c>{message}</c>).
/// </summary>
internal static class EngineMetrics
{
    public static readonly Meter Meter = new(EngineTelemetry.MeterName, typeof(EngineMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Commits = Meter.CreateCounter<long>("engine.commits", "{commit}", "Commit calls that succeeded (one per CommitAsync, AckCommitAsync with records counts too)");
    public static readonly Counter<long> SentMessages = Meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Records committed");
    public static readonly Counter<long> CommittedBytes = Meter.CreateCounter<long>("engine.committed.bytes", "By", "Body bytes committed");
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("engine.commit.duration", "s", "Time from a commit call to its records being as durable as the store's Durability promises");
    public static readonly Histogram<double> FsyncDuration = Meter.CreateHistogram<double>("engine.fsync.duration", "s", "Time one fsync of the log took (group commit: it covers every commit written before it)");
    public static readonly Counter<long> GcRuns = Meter.CreateCounter<long>("engine.gc.runs", "{run}", "Garbage collections run");
    public static readonly Counter<long> GcFreedBytes = Meter.CreateCounter<long>("engine.gc.freed.bytes", "By", "Bytes the garbage collector gave back to the file system");
    public static readonly Counter<long> ConsumedMessages = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Records handed out by proc claims");
    public static readonly Counter<long> Claims = Meter.CreateCounter<long>("engine.proc.claims", "{claim}", "Proc claims that returned records");
    public static readonly Counter<long> Acks = Meter.CreateCounter<long>("engine.proc.acks", "{ack}", "Proc acks (AckAsync and AckCommitAsync)");
    public static readonly Counter<long> Reclaims = Meter.CreateCounter<long>("engine.proc.reclaims", "{reclaim}", "Proc claims given back, by a call or automatically after ReclaimTimeout");
    public static readonly UpDownCounter<long> IpcConnections = Meter.CreateUpDownCounter<long>("engine.ipc.connections", "{connection}", "Client connections a host has open");
    public static readonly Counter<long> IpcRequests = Meter.CreateCounter<long>("engine.ipc.requests", "{request}", "Requests a host has received");

    /// <summary>Open stores, for the gauges: each measured when a listener collects.</summary>
    private static readonly ConcurrentDictionary<Store, string> OpenStores = new();

    static EngineMetrics()
    {
        Meter.CreateObservableGauge("engine.log.segments", () => Observe(s => s.Segments.Snapshot.Count), "{segment}", "Log segments of each open store");
        Meter.CreateObservableGauge("engine.log.size", () => Observe(s => s.Segments.Snapshot.Sum(segment => segment.Capacity)), "By", "Bytes of log segments of each open store (segments are preallocated)");
    }

    public static void Opened(Store store, string name) => OpenStores[store] = name;

    public static void Closed(Store store) => OpenStores.TryRemove(store, out _);

    /// <summary>Counts one successful commit of <paramref name="records"/> records and <paramref name="bytes"/> body bytes.</summary>
    public static void Committed(int records, long bytes)
    {
        if (Commits.Enabled) Commits.Add(1);
        if (SentMessages.Enabled) SentMessages.Add(records);
        if (CommittedBytes.Enabled) CommittedBytes.Add(bytes);
    }

    /// <summary>The start of a timed operation, or 0 when nobody listens to <paramref name="histogram"/>.</summary>
    public static long StartTiming(Histogram<double> histogram) => histogram.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void RecordSince(Histogram<double> histogram, long started)
    {
        if (started != 0) histogram.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static IEnumerable<Measurement<long>> Observe(Func<Store, long> measure)
    {
        foreach (var (store, name) in OpenStores)
        {
            long value;
            try
            {
                value = measure(store);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>("engine.store", name));
        }
    }
}
