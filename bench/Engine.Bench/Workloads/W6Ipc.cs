using Engine.Bench.Measuring;
using Engine.Bench.Reporting;
using Engine.Ipc;

namespace Engine.Bench.Workloads;

/// <summary>
/// W6 (issues 4 and 6): the same loops through <see cref="LogClient"/> to an engine host in another
/// process (<see cref="HostProcess"/>) and in-process on a <see cref="LogEngine"/> opened with the
/// same options, back to back; every row is the IPC figure with the in-process one as its baseline.
/// <list type="bullet">
/// <item>one client committing one record at a time, 100,000 times: round trips/s, p50 and p99;</item>
/// <item>W1b's loop (100,000 single-record commits from 16 concurrent callers) on one connection
///   (16 requests in flight on it), and spread over 4 clients (separate connections, 4 callers each);</item>
/// <item>W4's claim+ack loops, Count 1 and Count 100, as two calls per batch and as one
///   (<see cref="ILogClient.AckAndProcAsync"/>: over IPC one round trip instead of two);</item>
/// <item>W4L's live proc commit-to-yield latency (the host pushes each batch).</item>
/// </list>
/// </summary>
internal sealed class W6Ipc : Workload
{
    public const int OneAtATimeRecords = 100_000;
    public const int ClientCount = 4;
    private const string InProcess = "in-process";
    private const string PipelinedTarget = "≥ 0.5× in-process";

    public override string Name => "W6";

    public override string Title => "IPC: one-at-a-time, W1b, W4 and live proc loops through LogClient to a host process, vs in-process";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var directory = context.NewDirectory("w6-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions());
            await using var host = await HostProcess.SpawnAsync(context, "w6-host");
            var clients = new List<ILogClient> { host.Client };
            for (var i = 1; i < ClientCount; i++) clients.Add(await host.ConnectAsync());
            var sides = new Side[] { new("W6 in-process", engine, [engine]), new("W6 IPC", host.Client, clients) };

            var warmUps = 0;
            await context.WarmUpAsync(async () =>
            {
                var pass = ++warmUps;
                foreach (var side in sides) await RunLoopsAsync(context, side, $"w6-warm-{pass}", warmUp: true);
            });
            var measured = new LoopFigures[sides.Length];
            for (var s = 0; s < sides.Length; s++) measured[s] = await RunLoopsAsync(context, sides[s], "w6", warmUp: false);
            var (local, ipc) = (measured[0], measured[1]);

            report.Add("one-at-a-time commits", "rec/s", ipc.OneAtATimeRate, InProcess, local.OneAtATimeRate);
            report.Add("one-at-a-time round trip p50", "µs", ipc.OneAtATime.PercentileMicroseconds(50), InProcess,
                local.OneAtATime.PercentileMicroseconds(50), higherIsBetter: false, target: "< 30 µs");
            report.Add("one-at-a-time round trip p99", "µs", ipc.OneAtATime.PercentileMicroseconds(99), InProcess,
                local.OneAtATime.PercentileMicroseconds(99), higherIsBetter: false);
            report.Add("W1b loop, 16 in flight on 1 connection", "rec/s", ipc.PipelinedRate, "in-process W1b loop", local.PipelinedRate, target: PipelinedTarget);
            report.Add($"W1b loop, 16 callers on {ClientCount} clients", "rec/s", ipc.ClientsRate, "in-process W1b loop", local.PipelinedRate, target: PipelinedTarget);
            report.Add("claim+ack, Count 1", "rec/s", ipc.CountOneRate, "in-process W4", local.CountOneRate);
            report.Add("claim+ack, Count 100", "rec/s", ipc.CountHundredRate, "in-process W4", local.CountHundredRate, target: PipelinedTarget);
            report.Add("claim+ack in one call (AckAndProcAsync), Count 1", "rec/s", ipc.OneCallCountOneRate, "in-process, one call", local.OneCallCountOneRate);
            report.Add("claim+ack in one call (AckAndProcAsync), Count 100", "rec/s", ipc.OneCallCountHundredRate, "in-process, one call",
                local.OneCallCountHundredRate, target: PipelinedTarget);
            report.Add("live proc commit-to-yield p50", "µs", ipc.Live.PercentileMicroseconds(50), "in-process W4L",
                local.Live.PercentileMicroseconds(50), higherIsBetter: false);
            report.Add("live proc commit-to-yield p99", "µs", ipc.Live.PercentileMicroseconds(99), "in-process W4L",
                local.Live.PercentileMicroseconds(99), higherIsBetter: false);
            report.Note($"W6: the host is a separate process ({host.Client.Address}); \"{ClientCount} clients\" are {ClientCount} LogClient " +
                $"connections to it, each carrying 4 of the 16 callers. In-process figures are W6's own, measured just before the IPC ones.");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>One side of the comparison: the client the single-client loops use, and the clients the 16 callers are spread over.</summary>
    private sealed record Side(string Who, ILogClient Client, IReadOnlyList<ILogClient> Clients);

    private sealed record LoopFigures(
        double OneAtATimeRate, LatencyRecorder OneAtATime, double PipelinedRate, double ClientsRate,
        double CountOneRate, double CountHundredRate, double OneCallCountOneRate, double OneCallCountHundredRate, LatencyRecorder Live);

    /// <summary>Runs every loop once on one side, on topics named after <paramref name="prefix"/> (new ones each pass).</summary>
    private static async Task<LoopFigures> RunLoopsAsync(BenchContext context, Side side, string prefix, bool warmUp)
    {
        int Size(int fullSize) => warmUp ? BenchContext.WarmUpSize(context.Scale(fullSize), minimum: 10 * W1bConcurrentAppend.CallerCount) : context.Scale(fullSize);
        var who = warmUp ? side.Who + " warm-up" : side.Who;
        var callers = W1bConcurrentAppend.CallerCount;

        var oneAtATime = Size(OneAtATimeRecords);
        context.Log($"{who}: {oneAtATime:N0} commits one at a time");
        var (oneTime, oneLatency) = await SingleCommits.OneAtATimeAsync(side.Client, $"{prefix}-one", oneAtATime, context.Body, who);

        var concurrent = Size(100_000);
        context.Log($"{who}: W1b loop, {concurrent:N0} commits from {callers} callers on 1 connection");
        var pipelined = await SingleCommits.ConcurrentAsync([side.Client], $"{prefix}-w1b-1", concurrent, callers, context.Body, who);
        TimeSpan spread;
        if (side.Clients.Count > 1)
        {
            context.Log($"{who}: W1b loop, {concurrent:N0} commits from {callers} callers on {side.Clients.Count} connections");
            spread = await SingleCommits.ConcurrentAsync(side.Clients, $"{prefix}-w1b-{side.Clients.Count}", concurrent, callers, context.Body, who);
        }
        else
        {
            spread = pipelined; // in-process there are no connections: the same loop is the baseline
        }

        var countOne = Size(W4Procs.CountOneRecords);
        var countOneTime = await W4Procs.ClaimAckAsync(context, side.Client, $"{prefix}-count1", countOne, 1, who);
        var countHundred = Size(W4Procs.CountHundredRecords);
        var countHundredTime = await W4Procs.ClaimAckAsync(context, side.Client, $"{prefix}-count100", countHundred, 100, who);

        var oneCallCountOneTime = await W4Procs.ClaimAckAsync(context, side.Client, $"{prefix}-onecall1", countOne, 1, who, oneCall: true);
        var oneCallCountHundredTime = await W4Procs.ClaimAckAsync(context, side.Client, $"{prefix}-onecall100", countHundred, 100, who, oneCall: true);

        var live = await W4LLiveProc.MeasureAsync(context, side.Client, $"{prefix}-live", Size(W4LLiveProc.Records), who);

        return new LoopFigures(
            Rates.PerSecond(oneAtATime, oneTime), oneLatency,
            Rates.PerSecond(concurrent, pipelined), Rates.PerSecond(concurrent, spread),
            Rates.PerSecond(countOne, countOneTime), Rates.PerSecond(countHundred, countHundredTime),
            Rates.PerSecond(countOne, oneCallCountOneTime), Rates.PerSecond(countHundred, oneCallCountHundredTime), live);
    }
}
