using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W5 (issues 5 and 6): the processing pipeline. 100,000 records go through the "+1" processor DLL
/// (<see cref="IncrementSample"/>) in 2 worker processes, from one topic to another, with
/// <c>Count</c> 1 and with <c>Count</c> 100, timed from the first commit of the inputs until
/// <see cref="ILogClient.WaitForProcsAsync"/> returns (<see cref="PlusOnePipeline"/>). The baseline,
/// in the same run and engine, is the same pipeline with the same +1 code as an inline processor in
/// this process, so the ratio is the cost of crossing into worker processes. Then, with the
/// pipeline idle, worker processes are SIGKILLed one at a time and the time until each is replaced
/// is measured (<see cref="WorkerRestarts"/>).
/// </summary>
internal sealed class W5Pipeline : Workload
{
    public const int Records = 100_000;
    public const int Workers = 2;

    /// <summary>The second configuration: the same 2 workers, each running this many batches at once.</summary>
    public const int WideConcurrency = 8;
    private const string InlineBaseline = "same +1 inline, in-process";

    /// <summary>Starting a worker is starting a .NET process: seconds on a loaded 2-core machine, so generous bounds that still fail clearly.</summary>
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromMinutes(1);

    public override string Name => "W5";

    public override string Title =>
        "pipeline: 100,000 records through a +1 processor DLL in 2 workers, Count 1 and 100, vs inline; worker SIGKILL → replacement ready";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(Records);
        var processors = context.NewDirectory("w5-processors");
        var directory = context.NewDirectory("w5-engine");
        try
        {
            var dll = IncrementSample.CopyTo(processors);
            // No ProcessorsDirectory: the sample carries a drop-in registration ("increment", from
            // "numbers"), and a watched folder would register that system proc too. W5 registers
            // its own, by the DLL's full path.
            await using var engine = LogEngine.Open(directory, context.EngineOptions() with { Workers = Workers });

            // The first DLL system proc starts the workers; wait for them outside any timing.
            await engine.SystemProcAsync(new SystemProcOptions { Name = "w5-start", From = ["w5-start-in"], Processor = dll });
            var startUp = await WorkerRestarts.WaitUntilReadyAsync(engine, Workers, WorkerTimeout, "W5");
            context.Log($"W5: {Workers} worker processes ready after {startUp.TotalMilliseconds:N0} ms");

            // Warm-up runs every pass in the worker processes too, so their processor DLL is loaded and their hot code compiled.
            var warmUps = 0;
            await context.WarmUpAsync(async () =>
            {
                var pass = ++warmUps;
                foreach (var count in new[] { 1, 100 })
                {
                    await PlusOnePipeline.RunAsync(context, engine, null, $"w5-warm-{pass}-inline-count{count}", BenchContext.WarmUpSize(records), count, "W5 inline warm-up");
                    await PlusOnePipeline.RunAsync(context, engine, dll, $"w5-warm-{pass}-dll-count{count}", BenchContext.WarmUpSize(records), count, "W5 workers warm-up");
                }
            });

            var before = await engine.GetStatsAsync();
            var inlineOne = await PlusOnePipeline.RunAsync(context, engine, null, "w5-inline-count1", records, 1, "W5 inline");
            var dllOne = await PlusOnePipeline.RunAsync(context, engine, dll, "w5-dll-count1", records, 1, "W5 workers");
            var inlineHundred = await PlusOnePipeline.RunAsync(context, engine, null, "w5-inline-count100", records, 100, "W5 inline");
            var dllHundred = await PlusOnePipeline.RunAsync(context, engine, dll, "w5-dll-count100", records, 100, "W5 workers");
            var after = await engine.GetStatsAsync();
            report.Add($"+1 DLL in {Workers} workers, Count 1", "rec/s", Rates.PerSecond(records, dllOne),
                InlineBaseline, Rates.PerSecond(records, inlineOne), target: "≥ 20,000 rec/s");
            report.Add($"+1 DLL in {Workers} workers, Count 100", "rec/s", Rates.PerSecond(records, dllHundred),
                InlineBaseline, Rates.PerSecond(records, inlineHundred), target: "≥ 100,000 rec/s");
            report.Note($"W5 pipeline: each pass commits {records:N0} inputs (decimal numbers padded with spaces to {BenchContext.BodySize} bytes) " +
                $"in batches of {EngineFill.BatchSize} to a new topic while a system proc adds one to each into another, timed from the first " +
                "commit until WaitForProcsAsync returns; outputs checked (count, each in range, none twice, sum). Same engine and run for both sides. " +
                "A proc holds one claim at a time, so with one From topic the workers take turns: one batch is in a worker at any moment.");
            report.Note($"W5 workers during the four timed passes: {DescribeWork(before, after)}");
            report.Note($"W5 where a batch's time goes (SystemProcStats.AverageLatency: DLL = hand-out to the worker's answer, inline = processor call to " +
                $"ack-commit done; per batch = the pass's time / its batches): {DescribeProcs(after, records, ("w5-dll-count1", dllOne), ("w5-dll-count100", dllHundred),
                ("w5-inline-count1", inlineOne), ("w5-inline-count100", inlineHundred))}");

            // Supervision: the pipeline is idle now (every proc has acked its last record).
            var kills = context.Quick ? 2 : 10;
            context.Log($"W5: SIGKILL one of {Workers} idle workers, {kills} times, until each is replaced");
            var spares = context.EngineOptions().SpareWorkers > 0;
            var restart = await WorkerRestarts.MeasureKillsAsync(engine, kills, WorkerTimeout, "W5", waitForSpare: spares);
            report.Add($"worker SIGKILL → replacement ready, p50 of {kills}", "ms", restart.PercentileMicroseconds(50) / 1000, higherIsBetter: false, target: "< 100 ms");
            report.Add($"worker SIGKILL → replacement ready, max of {kills}", "ms", restart.PercentileMicroseconds(100) / 1000, higherIsBetter: false);
            var backToBack = await WorkerRestarts.MeasureKillsAsync(engine, kills, WorkerTimeout, "W5 back to back", waitForSpare: false);
            report.Add($"worker SIGKILLs back to back → replacement ready, p50 of {kills}", "ms", backToBack.PercentileMicroseconds(50) / 1000, higherIsBetter: false);
            report.Add($"worker SIGKILLs back to back → replacement ready, max of {kills}", "ms", backToBack.PercentileMicroseconds(100) / 1000, higherIsBetter: false);
            report.Note($"W5 worker restart: from Process.Kill (SIGKILL) of an idle worker until GetStatsAsync shows its slot with a new process " +
                $"in state Ready (connected back, hello answered), polled every 1 ms; its processor DLL loads at its first batch, not counted here. " +
                (spares
                    ? "With the default SpareWorkers = 1 the new process is the spare, promoted into the slot: each kill waits (untimed) until " +
                      "the spare is Ready, and checks it is the replacement. \"Back to back\": each kill follows the last replacement at once, " +
                      "so the new spare is often still starting and the slot waits for it. "
                    : "SpareWorkers = 0: every replacement is a process start. ") +
                $"Start-up of the first {Workers} workers, for comparison: {startUp.TotalMilliseconds:N0} ms.");

            // The pipeline still works after the kills: every record once, through the replaced workers.
            await PlusOnePipeline.RunAsync(context, engine, dll, "w5-after-kills", BenchContext.WarmUpSize(records), 1, "W5 after the kills");
            await engine.DisposeAsync();

            var (wideOne, wideHundred) = await MeasureWideAsync(context, dll, records);
            report.Add($"+1 DLL in {Workers} workers × {WideConcurrency} slots, Count 1", "rec/s", Rates.PerSecond(records, wideOne),
                InlineBaseline, Rates.PerSecond(records, inlineOne), target: "≥ 20,000 rec/s");
            report.Add($"+1 DLL in {Workers} workers × {WideConcurrency} slots, Count 100", "rec/s", Rates.PerSecond(records, wideHundred),
                InlineBaseline, Rates.PerSecond(records, inlineHundred), target: "≥ 100,000 rec/s");
            report.Note($"W5 \"× {WideConcurrency} slots\": the same passes on a fresh engine with WorkerConcurrency = {WideConcurrency} (the default, used above, is 1). " +
                "One claim is spread over every free slot, so with Count 1 a claim carries up to 16 records instead of 2, and the round trip to a " +
                "worker is paid once per claim, not once per record.");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
            BenchContext.DeleteDirectory(processors);
        }
    }

    /// <summary>The DLL passes again on an engine whose workers run <see cref="WideConcurrency"/> batches at once.</summary>
    private static async Task<(TimeSpan CountOne, TimeSpan CountHundred)> MeasureWideAsync(BenchContext context, string dll, int records)
    {
        var directory = context.NewDirectory("w5-wide-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions() with { Workers = Workers, WorkerConcurrency = WideConcurrency });
            await engine.SystemProcAsync(new SystemProcOptions { Name = "w5-wide-start", From = ["w5-wide-start-in"], Processor = dll });
            await WorkerRestarts.WaitUntilReadyAsync(engine, Workers, WorkerTimeout, "W5 wide");
            var warmUps = 0;
            await context.WarmUpAsync(async () =>
            {
                var pass = ++warmUps;
                foreach (var count in new[] { 1, 100 })
                    await PlusOnePipeline.RunAsync(context, engine, dll, $"w5-wide-warm-{pass}-count{count}", BenchContext.WarmUpSize(records), count, "W5 wide warm-up");
            });
            var one = await PlusOnePipeline.RunAsync(context, engine, dll, "w5-wide-count1", records, 1, "W5 wide");
            var hundred = await PlusOnePipeline.RunAsync(context, engine, dll, "w5-wide-count100", records, 100, "W5 wide");
            return (one, hundred);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Per system proc: batches, errors, the engine's mean latency for it, and the pass's time per
    /// batch. <see cref="SystemProcStats.AverageLatency"/> is documented as claim to ack, but is not
    /// measured alike: for a DLL it runs from handing the batch to a worker to the worker's answer
    /// (no claim, no ack-commit), inline from calling the processor to the end of the ack-commit.
    /// Workers add their mean hand-out→answer time (over the whole run, warm-up included).
    /// </summary>
    private static string DescribeProcs(EngineStats stats, int records, params (string Name, TimeSpan Elapsed)[] passes) =>
        string.Join("; ", passes.Select(pass =>
        {
            var proc = stats.SystemProcs.Single(p => p.Name == pass.Name);
            var perBatch = pass.Elapsed / Math.Max(1, proc.Executions);
            return $"{pass.Name}: {proc.Executions:N0} batches of {(double)records / Math.Max(1, proc.Executions):N1} records, {proc.Errors} errors, " +
                $"AverageLatency {proc.AverageLatency.TotalMicroseconds:N0} µs of {perBatch.TotalMicroseconds:N0} µs per batch";
        })) + "; " + string.Join("; ", stats.Workers.Select(w => $"worker {w.Id} hand-out→answer {w.AverageLatency.TotalMicroseconds:N0} µs"));

    /// <summary>Batches and errors each worker ran between two snapshots of the figures.</summary>
    private static string DescribeWork(EngineStats before, EngineStats after) =>
        string.Join("; ", after.Workers.Select(w =>
        {
            var earlier = before.Workers.FirstOrDefault(b => b.Id == w.Id);
            return $"worker {w.Id}: {w.Executions - (earlier?.Executions ?? 0):N0} batches, {w.Errors - (earlier?.Errors ?? 0):N0} errors, " +
                $"{w.Restarts - (earlier?.Restarts ?? 0)} restarts";
        }));
}
