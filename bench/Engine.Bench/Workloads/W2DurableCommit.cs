using System.Diagnostics;
using Engine.Bench.Baselines;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W2: 50,000 single-record commits from 16 concurrent callers under <see cref="Durability.Always"/>,
/// each returning only once its bytes are fsync'd; records/s and per-commit p50/p99. FasterLog
/// runs <c>EnqueueAndWaitForCommitAsync</c> from 16 callers, in FASTER's own mode for many small
/// durable commits: <c>AutoCommit</c> (each enqueue asks for a commit; concurrent ones merge) and
/// <c>FastCommitMode</c> (the commit point goes into the log, one I/O fewer per commit; with the
/// per-entry checksums it needs). The machine's limits: the same bytes written in 1 MiB blocks
/// with an fsync after each, and one 100-byte write plus fsync, which is the floor under any
/// single durable commit's latency.
/// </summary>
internal sealed class W2DurableCommit : Workload
{
    private const string Topic = "w2";

    public override string Name => "W2";

    public override string Title => "50,000 durable single-record commits from 16 concurrent callers (Always)";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(50_000);
        var warmUp = BenchContext.WarmUpSize(records, minimum: 10 * W1bConcurrentAppend.CallerCount);
        await context.WarmUpAsync(async () =>
        {
            await MeasureEngineAsync(context, warmUp);
            await MeasureFasterLogAsync(context, warmUp);
        });
        var (engineTime, engineLatency, engineFsyncs) = await MeasureEngineAsync(context, records);
        var (fasterTime, fasterLatency) = await MeasureFasterLogAsync(context, records);

        var directory = context.NewDirectory("w2-plain");
        long bodyBytes = (long)records * BenchContext.BodySize;
        var plainTime = PlainFile.SequentialWrite(directory, RecordBody.Repeated(context.Body.Span, bodyBytes), fsyncEachBlock: true);
        var fsyncLatency = new LatencyRecorder(context.Scale(2_000));
        PlainFile.WriteAndFsync(directory, context.Body.Span, fsyncLatency);
        BenchContext.DeleteDirectory(directory);

        report.Add("durable commits", "rec/s", Rates.PerSecond(records, engineTime),
            "FasterLog", Rates.PerSecond(records, fasterTime), target: "≥ 4× FasterLog FastCommitMode (issue 11)");
        report.Add("commit latency p50", "µs", engineLatency.PercentileMicroseconds(50),
            "FasterLog", fasterLatency.PercentileMicroseconds(50), higherIsBetter: false);
        report.Add("commit latency p99", "µs", engineLatency.PercentileMicroseconds(99),
            "FasterLog", fasterLatency.PercentileMicroseconds(99), higherIsBetter: false, target: "< 1,000 µs");
        report.Add("commit latency p50", "µs", engineLatency.PercentileMicroseconds(50),
            "one 100 B write + fsync (p50)", fsyncLatency.PercentileMicroseconds(50), higherIsBetter: false);
        report.Add("commit latency p99", "µs", engineLatency.PercentileMicroseconds(99),
            "one 100 B write + fsync (p99)", fsyncLatency.PercentileMicroseconds(99), higherIsBetter: false);
        report.Add("commit latency p99", "µs", engineLatency.PercentileMicroseconds(99),
            "Engine's own fsyncs, same run (p99)", engineFsyncs.P99, higherIsBetter: false);
        report.Note($"W2 Engine's fsyncs during its run: {engineFsyncs.Count:N0} (about {(double)records / Math.Max(1, engineFsyncs.Count):N1} commits each), " +
            $"p50 {engineFsyncs.P50:N0} µs, p99 {engineFsyncs.P99:N0} µs. A commit waits for one fsync, or two when it arrives while one is in flight.");
        report.Add("durable body bytes", "MB/s", Rates.MegabytesPerSecond(bodyBytes, engineTime),
            "FileStream 1 MiB + fsync each", Rates.MegabytesPerSecond(bodyBytes, plainTime));
    }

    private readonly record struct FsyncFigures(int Count, double P50, double P99);

    private static async Task<(TimeSpan, LatencyRecorder, FsyncFigures)> MeasureEngineAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w2-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions(Durability.Always));
            using var fsyncs = new EngineFsyncs();
            var latency = new LatencyRecorder(records);
            context.Log($"W2 Engine: {records:N0} durable commits from {W1bConcurrentAppend.CallerCount} callers");
            var started = Stopwatch.GetTimestamp();
            await Callers.RunAsync(W1bConcurrentAppend.CallerCount, records, async i =>
            {
                var commitStarted = Stopwatch.GetTimestamp();
                await engine.CommitAsync(Topic, context.Body);
                latency.Record(i, commitStarted);
            });
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect.Count("W2 Engine records in the topic", records, await engine.LengthAsync(Topic));
            Expect.Count("W2 Engine commits timed", records, latency.Count);
            return (elapsed, latency, new FsyncFigures(fsyncs.Count, fsyncs.PercentileMicroseconds(50), fsyncs.PercentileMicroseconds(99)));
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    private static async Task<(TimeSpan, LatencyRecorder)> MeasureFasterLogAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w2-fasterlog");
        try
        {
            using var faster = FasterLogStore.Create(directory, autoCommit: true, fastCommit: true);
            var latency = new LatencyRecorder(records);
            context.Log($"W2 FasterLog: {records:N0} EnqueueAndWaitForCommitAsync from {W1bConcurrentAppend.CallerCount} callers (AutoCommit, FastCommitMode)");
            var started = Stopwatch.GetTimestamp();
            await Callers.RunAsync(W1bConcurrentAppend.CallerCount, records, async i =>
            {
                var commitStarted = Stopwatch.GetTimestamp();
                await faster.Log.EnqueueAndWaitForCommitAsync(context.Body);
                latency.Record(i, commitStarted);
            });
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect.Count("W2 FasterLog entries", records, (await faster.ScanAllAsync()).Records);
            return (elapsed, latency);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }
}
