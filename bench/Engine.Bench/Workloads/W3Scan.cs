using System.Diagnostics;
using Engine.Bench.Baselines;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W3: read 1,000,000 records back in order, and the latest record (<c>RevRangeAsync</c> limit 1)
/// again and again for its p50. Both sides do the same work per record: Engine reads pages of
/// 10,000 by position (<see cref="EngineScan"/>), reads each record's id and sums one byte of its
/// body, and again in place through <see cref="LogEngine.Scan"/> (no object per record, each id
/// formatted into a reused buffer); FasterLog scans its log from the start in place
/// (<c>UnsafeGetNext</c>, no array per entry) and sums one byte of each entry. Its id, the entry's address, comes as a number and is
/// not formatted. The memory copy moves the same body bytes once. Each scan is timed after untimed
/// warm-up passes.
/// </summary>
internal sealed class W3Scan : Workload
{
    private const string Topic = "w3";

    public override string Name => "W3";

    public override string Title => "scan 1,000,000 records in order; latest record (RevRange limit 1) p50";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(1_000_000);
        long bodyBytes = (long)records * BenchContext.BodySize;

        var directory = context.NewDirectory("w3-engine");
        TimeSpan engineTime;
        TimeSpan inPlaceTime;
        LatencyRecorder latest;
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions());
            context.Log($"W3 Engine: filling {records:N0} records");
            await EngineFill.CommitAsync(engine, Topic, records, context.Body);
            context.Log("W3 Engine: scanning (untimed passes first, to warm up)");
            await context.WarmUpAsync(() => ScanAsync(context, engine, records));
            engineTime = await ScanAsync(context, engine, records);
            context.Log("W3 Engine: scanning in place (LogEngine.Scan)");
            await context.WarmUpAsync(() => Task.FromResult(ScanInPlace(context, engine, records)));
            inPlaceTime = ScanInPlace(context, engine, records);
            await context.WarmUpAsync(() => MeasureLatestAsync(engine, BenchContext.WarmUpSize(context.Scale(100_000)), records));
            latest = await MeasureLatestAsync(engine, context.Scale(100_000), records);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }

        var fasterTime = await MeasureFasterLogAsync(context, records);
        var copyTime = MemoryCopy.Copy(RecordBody.Repeated(context.Body.Span, bodyBytes));

        report.Add("scan in order", "rec/s", Rates.PerSecond(records, engineTime),
            "FasterLog scan", Rates.PerSecond(records, fasterTime), target: "≥ 2× FasterLog");
        report.Add("scan in order, in place (LogEngine.Scan)", "rec/s", Rates.PerSecond(records, inPlaceTime),
            "FasterLog scan", Rates.PerSecond(records, fasterTime), target: "≥ 2× FasterLog");
        report.Add("scan body bytes", "MB/s", Rates.MegabytesPerSecond(bodyBytes, engineTime),
            "memory copy", Rates.MegabytesPerSecond(bodyBytes, copyTime));
        report.Add("latest record p50", "µs", latest.PercentileMicroseconds(50), higherIsBetter: false, target: "< 5 µs");
        report.Add("latest record p99", "µs", latest.PercentileMicroseconds(99), higherIsBetter: false);
    }

    private static async Task<TimeSpan> ScanAsync(BenchContext context, LogEngine engine, int records)
    {
        var (elapsed, totals) = await EngineScan.ReadAsync(engine, Topic, 0, records, "W3 Engine");
        Expect.Count("W3 Engine body bytes summed", ScanTotals.ByteSumOf(records, context.Body.Span), totals.ByteSum);
        return elapsed;
    }

    /// <summary>
    /// The same scan through <see cref="LogEngine.Scan"/>: no object or string per record. Each id
    /// is still formatted (into a reused buffer), so Engine does more per record than FasterLog,
    /// whose id is its entry's address, a number.
    /// </summary>
    private static TimeSpan ScanInPlace(BenchContext context, LogEngine engine, int records)
    {
        var totals = new ScanTotals();
        long idChars = 0;
        var id = new char[48];
        var started = Stopwatch.GetTimestamp();
        foreach (var record in engine.Scan(Topic))
        {
            record.TryFormatId(id, out var written);
            idChars += written;
            totals = totals.Add(record.Body);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Expect.Count("W3 Engine records scanned in place", records, totals.Records);
        Expect.Count("W3 Engine body bytes summed in place", ScanTotals.ByteSumOf(records, context.Body.Span), totals.ByteSum);
        Expect.True(idChars >= 3L * records, $"W3 Engine in place: only {idChars:N0} id characters formatted for {records:N0} records");
        return elapsed;
    }

    private static async Task<LatencyRecorder> MeasureLatestAsync(LogEngine engine, int reads, int records)
    {
        var latency = new LatencyRecorder(reads);
        var newestFirst = new RangeOptions { Limit = 1 };
        var suffix = $"-{records - 1}";
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var latest = await engine.RevRangeAsync(Topic, newestFirst);
            latency.Record(i, started);
            Expect.True(latest.Count == 1 && latest[0].Id.EndsWith(suffix, StringComparison.Ordinal), "W3 latest record is not the last one committed");
        }
        return latency;
    }

    private static async Task<TimeSpan> MeasureFasterLogAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w3-fasterlog");
        try
        {
            using var faster = FasterLogStore.Create(directory);
            context.Log($"W3 FasterLog: filling {records:N0} entries");
            for (var i = 0; i < records; i++) faster.Log.Enqueue(context.Body.Span);
            await faster.Log.CommitAsync();
            context.Log("W3 FasterLog: scanning (untimed passes first, to warm up)");
            await context.WarmUpAsync(faster.ScanAllAsync);
            var started = Stopwatch.GetTimestamp();
            var totals = await faster.ScanAllAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect.Count("W3 FasterLog entries scanned", records, totals.Records);
            Expect.Count("W3 FasterLog entry bytes summed", ScanTotals.ByteSumOf(records, context.Body.Span), totals.ByteSum);
            return elapsed;
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }
}
