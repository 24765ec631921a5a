using System.Diagnostics;
using Engine.Bench.Baselines;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W1: 1,000,000 records to one topic in batches of 100 under <see cref="Durability.Batched"/>.
/// FasterLog gets the same promise: it enqueues while a committer commits every flush interval
/// (<see cref="PeriodicCommits"/>), and awaits one commit at the end; the plain file writes the
/// same body bytes in 1 MiB blocks. Both logs are timed until everything is on disk: FasterLog
/// until its final commit returns, Engine until its store is closed (the engine's only public way
/// to wait for the last <c>Batched</c> fsync; it also writes a final checkpoint, so Engine's
/// figure carries a little more work than FasterLog's, not less).
/// </summary>
internal sealed class W1Append : Workload
{
    private const string Topic = "w1";

    public override string Name => "W1";

    public override string Title => "append 1,000,000 records in batches of 100 (Batched)";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(1_000_000);
        long bodyBytes = (long)records * BenchContext.BodySize;
        var warmUp = BenchContext.WarmUpSize(records);
        await context.WarmUpAsync(async () =>
        {
            await MeasureEngineAsync(context, warmUp);
            await MeasureFasterLogAsync(context, warmUp);
        });

        // Alternated rounds, medians reported (see Rounds): each side once per round, same order.
        var directory = context.NewDirectory("w1-plain");
        var bytes = RecordBody.Repeated(context.Body.Span, bodyBytes);
        List<TimeSpan> engineTimes = [], commitTimes = [], closeTimes = [], fasterTimes = [], plainTimes = [], plainFsyncTimes = [];
        for (var round = 0; round < Rounds.Count(context); round++)
        {
            var (commits, close) = await MeasureEngineAsync(context, records);
            commitTimes.Add(commits);
            closeTimes.Add(close);
            engineTimes.Add(commits + close);
            fasterTimes.Add(await MeasureFasterLogAsync(context, records));
            plainTimes.Add(PlainFile.SequentialWrite(directory, bytes, fsyncEachBlock: false));
            plainFsyncTimes.Add(PlainFile.SequentialWrite(directory, bytes, fsyncEachBlock: true));
        }
        BenchContext.DeleteDirectory(directory);
        var engineTime = Rounds.Median(engineTimes);
        var fasterTime = Rounds.Median(fasterTimes);
        var plainTime = Rounds.Median(plainTimes);
        var plainFsyncTime = Rounds.Median(plainFsyncTimes);
        report.Note($"W1: Engine's figure runs until the store is closed: {Rounds.Median(commitTimes).TotalMilliseconds:N1} ms of commits " +
            $"({Rates.PerSecond(records, Rounds.Median(commitTimes)):N0} rec/s, the figure before issue 11 timed only these), then " +
            $"{Rounds.Median(closeTimes).TotalMilliseconds:N1} ms to close (last fsync, final checkpoint), medians of {engineTimes.Count} rounds. " +
            "FasterLog's runs until its final awaited commit.");
        report.Note($"W1 rounds, rec/s: Engine {Rounds.List(engineTimes, t => Rates.PerSecond(records, t))}; " +
            $"FasterLog {Rounds.List(fasterTimes, t => Rates.PerSecond(records, t))}; " +
            $"plain file {Rounds.List(plainTimes, t => Rates.MegabytesPerSecond(bodyBytes, t), "MB/s")}.");

        var engineRate = Rates.PerSecond(records, engineTime);
        report.Add("append", "rec/s", engineRate, "FasterLog", Rates.PerSecond(records, fasterTime), target: "≥ 2× FasterLog (issue 11)");
        var engineBandwidth = Rates.MegabytesPerSecond(bodyBytes, engineTime);
        report.Add("append body bytes", "MB/s", engineBandwidth, "FileStream 1 MiB blocks",
            Rates.MegabytesPerSecond(bodyBytes, plainTime), target: "≥ 0.5× plain file (issue 11)");
        report.Add("append body bytes", "MB/s", engineBandwidth, "FileStream 1 MiB + fsync each",
            Rates.MegabytesPerSecond(bodyBytes, plainFsyncTime));
    }

    /// <summary>Times the commits and then the close (last fsync, final checkpoint), apart so the note can show both.</summary>
    private static async Task<(TimeSpan Commits, TimeSpan Close)> MeasureEngineAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w1-engine");
        try
        {
            var engine = LogEngine.Open(directory, context.EngineOptions(Durability.Batched));
            TimeSpan elapsed, close;
            try
            {
                var batch = EngineFill.Batch(Topic, context.Body, EngineFill.BatchSize);
                context.Log($"W1 Engine: {records:N0} records");
                var started = Stopwatch.GetTimestamp();
                for (var committed = 0; committed < records; committed += batch.Length) await engine.CommitAsync(batch);
                elapsed = Stopwatch.GetElapsedTime(started);
                Expect.Count("W1 Engine records in the topic", records, await engine.LengthAsync(Topic));
            }
            finally
            {
                var closing = Stopwatch.GetTimestamp();
                await engine.DisposeAsync();
                close = Stopwatch.GetElapsedTime(closing);
            }
            return (elapsed, close);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>Times the enqueues, with a commit every flush interval as Engine's Batched has, until the final commit is durable.</summary>
    private static async Task<TimeSpan> MeasureFasterLogAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w1-fasterlog");
        try
        {
            using var faster = FasterLogStore.Create(directory);
            var log = faster.Log;
            context.Log($"W1 FasterLog: {records:N0} records");
            using var stop = new CancellationTokenSource();
            var started = Stopwatch.GetTimestamp();
            var committer = PeriodicCommits.RunAsync(log, context.EngineOptions().FlushInterval, stop.Token);
            for (var i = 0; i < records; i++) log.Enqueue(context.Body.Span);
            await stop.CancelAsync();
            await committer;
            await log.CommitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect.Count("W1 FasterLog entries", records, (await faster.ScanAllAsync()).Records);
            return elapsed;
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }
}
