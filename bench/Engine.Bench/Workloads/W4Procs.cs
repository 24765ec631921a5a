using System.Diagnostics;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W4: claim + ack 100,000 times with <c>Count</c> 1, and 1,000,000 records with <c>Count</c> 100,
/// through the proc API (<see cref="ILogClient.ProcAsync"/>, <see cref="ILogClient.AckAsync"/>).
/// No baseline: the issue sets absolute targets. Skipped while the engine has no procs.
/// </summary>
internal sealed class W4Procs : Workload
{
    public override string Name => "W4";

    public override string Title => "procs: claim+ack 100,000 × Count 1; 1,000,000 records with Count 100";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        await ProcsProbe.EnsureAvailableAsync(context.Body);
        var directory = context.NewDirectory("w4-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions());
            var one = await MeasureAsync(context, engine, "w4-count1", context.Scale(100_000), count: 1);
            report.Add("claim+ack, Count 1", "rec/s", one, target: "≥ 200,000 rec/s");
            var hundred = await MeasureAsync(context, engine, "w4-count100", context.Scale(1_000_000), count: 100);
            report.Add("claim+ack, Count 100", "rec/s", hundred, target: "≥ 2,000,000 rec/s");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>Fills a topic, then claims and acks until the proc finds nothing new; returns records/s.</summary>
    private static async Task<double> MeasureAsync(BenchContext context, LogEngine engine, string topic, int records, int count)
    {
        context.Log($"W4 Engine: filling {records:N0} records into {topic}");
        await EngineFill.CommitAsync(engine, topic, records, context.Body);
        var options = new ProcOptions { Name = $"{topic}-proc", Count = count };
        context.Log($"W4 Engine: claim+ack with Count {count}");
        long claimed = 0;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var batch = await engine.ProcAsync(topic, options);
            if (batch.Count == 0) break;
            claimed += batch.Count;
            await engine.AckAsync(options.Name);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Expect.Count($"W4 records claimed with Count {count}", records, claimed);
        return Rates.PerSecond(claimed, elapsed);
    }
}
