using System.Diagnostics;
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
        await context.WarmUpAsync(() => FillAndReopenSmallStoreAsync(context, BenchContext.WarmUpSize(records)));

        var clean = context.NewDirectory("w7-clean");
        try
        {
            context.Log($"W7: filling {records:N0} records, then closing cleanly");
            await using (var engine = LogEngine.Open(clean, context.EngineOptions()))
                await EngineFill.CommitAsync(engine, FillAndHang.Topic, records, context.Body);
            await TimedOpenAsync(context, report, clean, records, "after clean close", "< 50 ms", expectClean: true);
        }
        finally
        {
            BenchContext.DeleteDirectory(clean);
        }

        var killed = context.NewDirectory("w7-sigkill");
        try
        {
            context.Log($"W7: a child process fills {records:N0} records, then is SIGKILLed");
            await KilledWriter.FillAndKillAsync(context, killed, records, "W7");
            await TimedOpenAsync(context, report, killed, records, "after SIGKILL", "< 200 ms", expectClean: false);
        }
        finally
        {
            BenchContext.DeleteDirectory(killed);
        }
    }

    /// <summary>Fills, closes and reopens a small store, untimed, so the open path is compiled before it is timed.</summary>
    private static async Task FillAndReopenSmallStoreAsync(BenchContext context, int records)
    {
        var directory = context.NewDirectory("w7-warm-up");
        try
        {
            await using (var engine = LogEngine.Open(directory, context.EngineOptions()))
                await EngineFill.CommitAsync(engine, FillAndHang.Topic, records, context.Body);
            await using (var engine = LogEngine.Open(directory, context.EngineOptions()))
                Expect.Count("W7 warm-up records after reopening", records, await engine.LengthAsync(FillAndHang.Topic));
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Times <see cref="LogEngine.Open"/> alone and reports it with what recovery did, then checks
    /// that every record is still there (reported first, so a failed check still shows the evidence).
    /// </summary>
    private static async Task TimedOpenAsync(BenchContext context, WorkloadReport report, string directory, int records,
        string when, string target, bool expectClean)
    {
        var started = Stopwatch.GetTimestamp();
        var engine = LogEngine.Open(directory, context.EngineOptions());
        var elapsed = Stopwatch.GetElapsedTime(started);
        await using (engine)
        {
            var recovery = engine.LastRecovery;
            report.Add($"open {when}", "ms", elapsed.TotalMilliseconds, higherIsBetter: false, target: target);
            report.Note($"W7 {when}: {RecoveryText.Describe(recovery)}");
            Expect.True(recovery.CleanShutdown == expectClean, $"W7 {when}: LastRecovery.CleanShutdown is {recovery.CleanShutdown}");
            Expect.Count($"W7 records in the store {when}", records, await engine.LengthAsync(FillAndHang.Topic));
        }
    }
}
