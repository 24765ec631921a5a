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
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("engine.proc.dead_letters", "{message}", "Records moved to dead-letter topics (OnMaxReclaims.DeadLetter)");
    public static readonly Counter<long> ProcessorErrors = Meter.CreateCounter<long>("engine.processor.errors", "{batch}", "System proc batches whose processor failed (threw, timed out, or took its worker down)");
    public static readonly Counter<long> WorkerRestarts = Meter.CreateCounter<long>("engine.worker.restarts", "{restart}", "Worker processes started again after one died or was recycled");

    public const string StoreTag = "engine.store";
    public const string SystemProcTag = "engine.system_proc";
    public const string ErrorTypeTag = "error.type";

    /// <summary>
    /// Open stores, for the gauges: each measured when a listener collects. A store brings the
    /// list of its procs with their lag as a delegate, because procs live in a higher layer.
    /// </summary>
    private static readonly ConcurrentDictionary<Store, OpenStore> OpenStores = new();

    private sealed record OpenStore(string Name, Func<IReadOnlyList<ProcInfo>> Procs);

    static EngineMetrics()
    {
        Meter.CreateObservableGauge("engine.log.segments", () => Observe(s => s.Segments.Snapshot.Count), "{segment}", "Log segments of each open store");
        Meter.CreateObservableGauge("engine.log.size", () => Observe(s => s.Segments.Snapshot.Sum(segment => segment.Capacity)), "By", "Bytes of log segments of each open store (segments are preallocated)");
        Meter.CreateObservableGauge("engine.proc.lag", ObserveLag, "{message}", "Records of each proc's topic after its last ack (claimed but unacked ones count), from the indexes");
    }

    /// <summary>Reports <paramref name="store"/> to the gauges until <see cref="Closed"/>; <paramref name="procs"/> lists its procs with their lag.</summary>
    public static void Opened(Store store, string name, Func<IReadOnlyList<ProcInfo>> procs) => OpenStores[store] = new OpenStore(name, procs);

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

    /// <summary>A system proc's batches failed: <paramref name="errorType"/> says how (an exception type, or that the worker died).</summary>
    public static void ProcessorFailed(string? store, string systemProc, string errorType, int batches = 1)
    {
        if (!ProcessorErrors.Enabled) return;
        ProcessorErrors.Add(batches,
            new KeyValuePair<string, object?>(StoreTag, store),
            new KeyValuePair<string, object?>(SystemProcTag, systemProc),
            new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
    }

    /// <summary>A worker of <paramref name="store"/> is started again; <paramref name="reason"/> is "died" or "recycled".</summary>
    public static void WorkerRestarted(string store, string reason)
    {
        if (!WorkerRestarts.Enabled) return;
        WorkerRestarts.Add(1, new KeyValuePair<string, object?>(StoreTag, store), new KeyValuePair<string, object?>("engine.worker.restart.reason", reason));
    }

    /// <summary>
    /// One measurement per proc of each open store. Listing takes the store's write lock for a
    /// moment (the lag is read from memory and the indexes, never by a scan); it runs only when a
    /// listener collects, typically every few seconds.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (_, open) in OpenStores)
        {
            IReadOnlyList<ProcInfo> procs;
            try
            {
                procs = open.Procs();
            }
            catch (Exception e) when (e is ObjectDisposedException or LogEngineException)
            {
                continue; // closed (or failing) since it was listed: the next collection forgets it
            }
            foreach (var proc in procs)
            {
                measurements.Add(new Measurement<long>(proc.Lag,
                    new KeyValuePair<string, object?>(StoreTag, open.Name),
                    new KeyValuePair<string, object?>(EngineActivities.ConsumerGroup, proc.State.Name),
                    new KeyValuePair<string, object?>(EngineActivities.Destination, proc.State.Topic)));
            }
        }
        return measurements;
    }

    private static IEnumerable<Measurement<long>> Observe(Func<Store, long> measure)
    {
        foreach (var (store, open) in OpenStores)
        {
            var name = open.Name;
            long value;
            try
            {
                value = measure(store);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>(StoreTag, name));
        }
    }
}
