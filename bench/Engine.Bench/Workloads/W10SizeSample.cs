using System.Diagnostics;
using Engine.Bench.Measuring;

namespace Engine.Bench.Workloads;

/// <summary>
/// What W10 measures of its store at one size: the commit rate of the million that brought it
/// there, memory while it is open, how long closing takes, how long opening takes after that
/// clean close, and how long after a child process added a tail and was SIGKILLed.
/// </summary>
internal sealed record W10SizeSample(
    long Records,
    double CommitRate,
    MemoryUse Memory,
    TimeSpan Close,
    TimeSpan CleanOpen,
    string CleanRecovery,
    long KilledRecords,
    TimeSpan KilledOpen,
    string KilledRecovery)
{
    /// <summary>
    /// Takes the sample: closes <paramref name="engine"/> (timed), opens the store (timed) and
    /// closes it again, has a child add <paramref name="tail"/> records and SIGKILLs it, then opens
    /// the store again (timed) and returns it open, holding <paramref name="records"/> + <paramref name="tail"/>
    /// records, for the fill to go on with. Each open is checked: its kind of shutdown and every record there.
    /// </summary>
    public static async Task<(W10SizeSample Sample, LogEngine Reopened)> TakeAsync(
        BenchContext context, string directory, LogEngine engine, long records, double commitRate, int tail)
    {
        var memory = MemoryUse.Now();
        var started = Stopwatch.GetTimestamp();
        await engine.DisposeAsync();
        var close = Stopwatch.GetElapsedTime(started);

        var (cleanOpen, cleanEngine) = await TimedOpenAsync(context, directory, records, expectClean: true);
        var cleanRecovery = RecoveryText.Describe(cleanEngine.LastRecovery);
        await cleanEngine.DisposeAsync();

        context.Log($"W10 at {records:N0} records: a child adds {tail:N0} and is SIGKILLed");
        await KilledWriter.FillAndKillAsync(context, directory, tail, "W10");
        var (killedOpen, killedEngine) = await TimedOpenAsync(context, directory, records + tail, expectClean: false);
        var sample = new W10SizeSample(records, commitRate, memory, close, cleanOpen, cleanRecovery,
            records + tail, killedOpen, RecoveryText.Describe(killedEngine.LastRecovery));
        return (sample, killedEngine);
    }

    /// <summary>Times <see cref="LogEngine.Open"/> alone, then checks the kind of shutdown it found and the record count.</summary>
    private static async Task<(TimeSpan Elapsed, LogEngine Engine)> TimedOpenAsync(BenchContext context, string directory, long records, bool expectClean)
    {
        var started = Stopwatch.GetTimestamp();
        var engine = LogEngine.Open(directory, context.EngineOptions());
        var elapsed = Stopwatch.GetElapsedTime(started);
        try
        {
            var when = expectClean ? "after a clean close" : "after SIGKILL";
            Expect.True(engine.LastRecovery.CleanShutdown == expectClean,
                $"W10 open {when} at {records:N0} records: LastRecovery.CleanShutdown is {engine.LastRecovery.CleanShutdown}");
            Expect.Count($"W10 records in the store {when}", records, await engine.LengthAsync(FillAndHang.Topic));
            return (elapsed, engine);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }
}
