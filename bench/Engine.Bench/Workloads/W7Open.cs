using System.Diagnostics;
using System.Globalization;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W7: how long <see cref="LogEngine.Open"/> takes on a 1,000,000-record store after a clean close,
/// and after the process that wrote it was SIGKILLed (a child started with the hidden
/// <c>fill-and-hang</c> sub-command, since a process cannot SIGKILL itself and go on measuring).
/// The store's files are in the page cache both times: this is the engine's own recovery work,
/// not the disk's read time.
/// </summary>
internal sealed class W7Open : Workload
{
    public override string Name => "W7";

    public override string Title => "open a 1,000,000-record store after a clean close and after SIGKILL";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(1_000_000);

        var clean = context.NewDirectory("w7-clean");
        try
        {
            context.Log($"W7: filling {records:N0} records, then closing cleanly");
            await using (var engine = LogEngine.Open(clean))
                await EngineFill.CommitAsync(engine, FillAndHang.Topic, records, context.Body);
            var (elapsed, recovery) = await TimedOpenAsync(clean, records);
            Expect.True(recovery.CleanShutdown, "W7: a store closed cleanly opened as if it had crashed");
            report.Add("open after clean close", "ms", elapsed.TotalMilliseconds, higherIsBetter: false, target: "< 50 ms");
            report.Note($"W7 after clean close: {Describe(recovery)}");
        }
        finally
        {
            BenchContext.DeleteDirectory(clean);
        }

        var killed = context.NewDirectory("w7-sigkill");
        try
        {
            context.Log($"W7: a child process fills {records:N0} records, then is SIGKILLed");
            await FillInChildAndKillAsync(killed, records, context.Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10));
            var (elapsed, recovery) = await TimedOpenAsync(killed, records);
            Expect.True(!recovery.CleanShutdown, "W7: a store whose writer was SIGKILLed opened as if closed cleanly");
            report.Add("open after SIGKILL", "ms", elapsed.TotalMilliseconds, higherIsBetter: false, target: "< 200 ms");
            report.Note($"W7 after SIGKILL: {Describe(recovery)}");
        }
        finally
        {
            BenchContext.DeleteDirectory(killed);
        }
    }

    /// <summary>Times <see cref="LogEngine.Open"/> alone, then checks every record is still there.</summary>
    private static async Task<(TimeSpan, RecoveryReport)> TimedOpenAsync(string directory, int records)
    {
        var started = Stopwatch.GetTimestamp();
        var engine = LogEngine.Open(directory);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await using (engine)
        {
            Expect.Count($"W7 records after reopening {Path.GetFileName(directory)}", records, await engine.LengthAsync(FillAndHang.Topic));
            return (elapsed, engine.LastRecovery);
        }
    }

    private static async Task FillInChildAndKillAsync(string directory, int records, TimeSpan timeout)
    {
        using var child = SelfProcess.Start(FillAndHang.Command, directory, records.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var waiting = new CancellationTokenSource(timeout);
            var line = await child.StandardOutput.ReadLineAsync(waiting.Token);
            if (line != FillAndHang.ReadyLine)
                throw new BenchCheckException($"W7: the fill-and-hang child said '{line ?? "nothing"}' instead of '{FillAndHang.ReadyLine}'");
        }
        finally
        {
            if (!child.HasExited) child.Kill(); // SIGKILL on Unix: no finalizers, no dispose, no final checkpoint
            await child.WaitForExitAsync();
        }
    }

    private static string Describe(RecoveryReport r) =>
        $"CleanShutdown={r.CleanShutdown}, CheckpointGeneration={r.CheckpointGeneration}, ReplayedFrom={r.ReplayedFrom:N0}, " +
        $"ReplayedBytes={r.ReplayedBytes:N0}, ReplayedFrames={r.ReplayedFrames:N0}, CutAt={r.CutAt ?? "-"}, CutReason={r.CutReason ?? "-"}, " +
        $"CutDurableData={r.CutDurableData}, SegmentsDiscarded={r.SegmentsDiscarded}, " +
        $"RebuiltIndexes=[{string.Join(", ", r.RebuiltIndexes)}], Elapsed={r.Elapsed.TotalMilliseconds:N1} ms";
}
