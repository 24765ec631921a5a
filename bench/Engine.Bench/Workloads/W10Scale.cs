using System.Diagnostics;
using System.Globalization;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W10, issue 11's scale test: 20,000,000 records committed to one topic in batches of 100
/// (<see cref="Durability.Batched"/>), timed a million at a time, so the commit rate of the last
/// million can be held against the first. At 1, 5, 10 and 20 million it takes a
/// <see cref="W10SizeSample"/> (memory, close, open after a clean close, open after a child added
/// 100,000 records and was SIGKILLed) and the fill goes on with the reopened store; so each cost
/// is seen as the store grows, with several segments and index chunks behind it. At the end it
/// scans the whole topic as W3 scans (<see cref="EngineScan"/>) against a scan of its first
/// million in the same run: the W3 rate on a store twenty times larger.
/// </summary>
internal sealed class W10Scale : Workload
{
    /// <summary>
    /// Disk a record is allowed for the free-space check: a 100-byte body in its frame and its
    /// index slot took about 160 B in trials at 1/100 size; the rest is room to spare.
    /// </summary>
    private const long DiskBytesPerRecord = 200;

    /// <summary>Disk allowed on top, for what does not grow with the records: preallocated segments and index chunks, checkpoints.</summary>
    private const long DiskBytesFixed = 512L << 20;

    /// <summary>The sizes, in millions, at which a sample is taken; the last is the whole fill.</summary>
    private static readonly int[] SampledMillions = [1, 5, 10, 20];

    private static string Topic => FillAndHang.Topic; // the child that is SIGKILLed appends to the same topic

    public override string Name => "W10";

    public override string Title => "20,000,000 records in batches of 100: commit rate, memory, open and scan as the store grows";

    public override bool FullSizeOnlyWhenNamed => true;

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var million = context.Scale(1_000_000);
        var tail = context.Scale(100_000);
        var windows = SampledMillions[^1];
        long planned = (long)windows * million + (long)SampledMillions.Length * tail;

        var directory = context.NewDirectory("w10");
        try
        {
            DiskSpace.Require(directory, planned * DiskBytesPerRecord + DiskBytesFixed, "W10");
            await context.WarmUpAsync(() => WarmUpAsync(context, BenchContext.WarmUpSize(million)));
            var peakIsOwn = MemoryUse.TryResetPeak();

            context.Log($"W10: {windows} × {million:N0} records in batches of {EngineFill.BatchSize}, " +
                $"samples after {string.Join(", ", SampledMillions.Select(m => (m * (long)million).ToString("N0", CultureInfo.InvariantCulture)))}");
            var rates = new double[windows];
            var samples = new List<W10SizeSample>();
            long stored = 0;
            LogEngine? engine = LogEngine.Open(directory, context.EngineOptions());
            try
            {
                for (var window = 0; window < windows; window++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await EngineFill.CommitAsync(engine, Topic, million, context.Body);
                    rates[window] = Rates.PerSecond(million, Stopwatch.GetElapsedTime(started));
                    stored += million;
                    if (!SampledMillions.Contains(window + 1)) continue;

                    var open = engine;
                    engine = null; // closed by the sample; it hands back the reopened store
                    var (sample, reopened) = await W10SizeSample.TakeAsync(context, directory, open, stored, rates[window], tail);
                    engine = reopened;
                    stored = sample.KilledRecords;
                    samples.Add(sample);
                }

                context.Log($"W10: scanning the first {million:N0} records, then all {stored:N0}");
                await EngineScan.ReadAsync(engine, Topic, 0, million, "W10 warm-up scan");
                var (firstTime, first) = await EngineScan.ReadAsync(engine, Topic, 0, million, "W10 scan of the first records");
                var (allTime, all) = await EngineScan.ReadAsync(engine, Topic, 0, stored, "W10 scan of everything");
                Expect.Count("W10 body bytes summed, first records", ScanTotals.ByteSumOf(million, context.Body.Span), first.ByteSum);
                Expect.Count("W10 body bytes summed, everything", ScanTotals.ByteSumOf(stored, context.Body.Span), all.ByteSum);
                var end = MemoryUse.Now();

                ReportCommits(report, rates, samples, million);
                ReportOpens(report, samples);
                ReportMemory(report, samples, end, peakIsOwn);
                report.Add($"scan all {Figures.Count(stored)}", "rec/s", Rates.PerSecond(stored, allTime),
                    $"scan of the first {Figures.Count(million)}", Rates.PerSecond(million, firstTime), target: "≈ 1× first (the W3 rate)");
            }
            finally
            {
                if (engine is not null) await engine.DisposeAsync();
            }

            var onDisk = DiskSpace.Used(directory);
            report.Add($"store on disk at {Figures.Count(stored)}", "MB", MemoryUse.Megabytes(onDisk), higherIsBetter: false);
            report.Note($"W10 store on disk after the last close: {onDisk:N0} B in {Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Length} files, " +
                $"{(double)onDisk / stored:N1} B a record (the free-space check allows {DiskBytesPerRecord} B a record and {DiskBytesFixed >> 20} MiB more)");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>Fills a small store, closes it, reopens it and scans it, untimed, so the paths W10 times are compiled first.</summary>
    private static async Task WarmUpAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w10-warm-up");
        try
        {
            await using (var engine = LogEngine.Open(directory, context.EngineOptions()))
                await EngineFill.CommitAsync(engine, Topic, records, context.Body);
            await using (var engine = LogEngine.Open(directory, context.EngineOptions()))
                await EngineScan.ReadAsync(engine, Topic, 0, records, "W10 warm-up");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>The rate of the million that ended at each sampled size, and the last million against the first.</summary>
    private static void ReportCommits(WorkloadReport report, double[] rates, List<W10SizeSample> samples, int million)
    {
        foreach (var sample in samples)
            report.Add($"commit rate, {Figures.Count(million)} up to {Figures.Count(sample.Records)}", "rec/s", sample.CommitRate);
        report.Add($"commit rate, last {Figures.Count(million)}", "rec/s", rates[^1],
            $"first {Figures.Count(million)}", rates[0], target: "≥ 0.8× first");
        report.Note($"W10 commit rate of each {million:N0} in turn, rec/s: {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
    }

    /// <summary>Open after a clean close and after SIGKILL at each size (the issue's targets are for the largest), and each close.</summary>
    private static void ReportOpens(WorkloadReport report, List<W10SizeSample> samples)
    {
        for (var i = 0; i < samples.Count; i++)
        {
            report.Add($"open after clean close at {Figures.Count(samples[i].Records)}", "ms", samples[i].CleanOpen.TotalMilliseconds,
                higherIsBetter: false, target: i == samples.Count - 1 ? "< 50 ms" : null);
        }
        for (var i = 0; i < samples.Count; i++)
        {
            report.Add($"open after SIGKILL at {Figures.Count(samples[i].KilledRecords)}", "ms", samples[i].KilledOpen.TotalMilliseconds,
                higherIsBetter: false, target: i == samples.Count - 1 ? "< 200 ms" : null);
        }
        foreach (var sample in samples)
        {
            report.Note($"W10 at {sample.Records:N0}: close {sample.Close.TotalMilliseconds:N1} ms; open after it: {sample.CleanRecovery}");
            report.Note($"W10 at {sample.KilledRecords:N0}, after SIGKILL: {sample.KilledRecovery}");
        }
    }

    /// <summary>RSS while the store is open at each size and after the full scan, and the peak; the parts of each in the notes.</summary>
    private static void ReportMemory(WorkloadReport report, List<W10SizeSample> samples, MemoryUse end, bool peakIsOwn)
    {
        foreach (var sample in samples)
        {
            report.Add($"RSS at {Figures.Count(sample.Records)}", "MB", MemoryUse.Megabytes(sample.Memory.WorkingSet), higherIsBetter: false);
            report.Note($"W10 memory at {sample.Records:N0}: {sample.Memory.Describe()}");
        }
        report.Add("RSS after scanning everything", "MB", MemoryUse.Megabytes(end.WorkingSet), higherIsBetter: false);
        // The kernel updates its high-water mark lazily (on unmapping, say), so a sample taken while
        // the store was open can be higher than the peak it reports afterwards.
        var peak = samples.Select(s => s.Memory.WorkingSet).Append(end.WorkingSet).Append(end.PeakWorkingSet).Max();
        report.Add("peak RSS", "MB", MemoryUse.Megabytes(peak), higherIsBetter: false);
        report.Note($"W10 memory after scanning everything: {end.Describe()}. The peak is " +
            (peakIsOwn ? "W10's own (reset when it started)" : "the whole process's, earlier workloads of the run included (it could not be reset)"));
    }
}
