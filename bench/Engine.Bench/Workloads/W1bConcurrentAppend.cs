using System.Diagnostics;
using Engine.Bench.Baselines;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W1b: 100,000 single-record commits from 16 concurrent callers under <see cref="Durability.Batched"/>.
/// FasterLog gets the same contract: callers enqueue one entry each and do not wait, a committer
/// commits every flush interval (<see cref="PeriodicCommits"/>), and one awaited commit ends the run.
/// </summary>
internal sealed class W1bConcurrentAppend : Workload
{
    public const int CallerCount = 16;
    private const string Topic = "w1b";

    public override string Name => "W1b";

    public override string Title => "100,000 single-record commits from 16 concurrent callers (Batched)";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(100_000);
        var warmUp = BenchContext.WarmUpSize(records, minimum: 10 * CallerCount);
        await context.WarmUpAsync(async () =>
        {
            await MeasureEngineAsync(context, warmUp);
            await MeasureFasterLogAsync(context, warmUp);
        });
        List<TimeSpan> engineTimes = [], fasterTimes = [];
        for (var round = 0; round < Rounds.Count(context); round++)
        {
            engineTimes.Add(await MeasureEngineAsync(context, records));
            fasterTimes.Add(await MeasureFasterLogAsync(context, records));
        }
        var engineTime = Rounds.Median(engineTimes);
        var fasterTime = Rounds.Median(fasterTimes);
        report.Note($"W1b rounds (medians reported), rec/s: Engine {Rounds.List(engineTimes, t => Rates.PerSecond(records, t))}; " +
            $"FasterLog {Rounds.List(fasterTimes, t => Rates.PerSecond(records, t))}.");
        report.Add("single-record commits", "rec/s", Rates.PerSecond(records, engineTime),
            "FasterLog", Rates.PerSecond(records, fasterTime), target: "≥ 1× FasterLog enqueue (issue 11)");
    }

    private static async Task<TimeSpan> MeasureEngineAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w1b-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions(Durability.Batched));
            context.Log($"W1b Engine: {records:N0} commits from {CallerCount} callers");
            return await SingleCommits.ConcurrentAsync([engine], Topic, records, CallerCount, context.Body, "W1b Engine");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    private static async Task<TimeSpan> MeasureFasterLogAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w1b-fasterlog");
        try
        {
            using var faster = FasterLogStore.Create(directory);
            var log = faster.Log;
            context.Log($"W1b FasterLog: {records:N0} enqueues from {CallerCount} callers");
            using var stop = new CancellationTokenSource();
            var started = Stopwatch.GetTimestamp();
            var committer = PeriodicCommits.RunAsync(log, context.EngineOptions().FlushInterval, stop.Token);
            await Callers.RunAsync(CallerCount, records, _ =>
            {
                log.Enqueue(context.Body.Span);
                return ValueTask.CompletedTask;
            });
            await stop.CancelAsync();
            await committer;
            await log.CommitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect.Count("W1b FasterLog entries", records, (await faster.ScanAllAsync()).Records);
            return elapsed;
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }
}
