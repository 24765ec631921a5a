using Engine.Tests.Support;
using Engine.Torture;
using Xunit.Abstractions;

namespace Engine.Tests.Torture;

/// <summary>
/// A short version of the kill -9 torture run (the `Engine.Torture` tool does the long one): a
/// child commits atomic batches across pinned and prunable topics, claims and acks and
/// ack-commits, and collects garbage with 1 MiB segments; it is SIGKILLed at a random moment, the
/// store is reopened and every acknowledged record is checked. A process kill keeps the page
/// cache, so Batched must lose nothing acknowledged either.
/// </summary>
public sealed class TortureCycleTests(ITestOutputHelper output)
{
    private const int Cycles = 10;

    [Theory]
    [InlineData(DurabilityMode.Always, 20261202)]
    [InlineData(DurabilityMode.Batched, 20261203)]
    public async Task Nothing_acknowledged_is_lost_or_altered_when_the_committer_is_killed_during_commits_acks_and_gc(DurabilityMode durability, int seed)
    {
        using var dir = new TempDirectory();

        var summary = await TortureRunner.RunAsync(new TortureSettings
        {
            Cycles = Cycles,
            Path = dir.Path,
            Seed = seed,
            Durability = durability,
            CyclesPerStore = Cycles,
            MaxKillDelay = TimeSpan.FromMilliseconds(600),
        });

        output.WriteLine(summary.ToString());
        Assert.True(summary.FailedCycles == 0, string.Join(Environment.NewLine, summary.Failures));
        Assert.Equal(Cycles, summary.Cycles);
        Assert.Equal(Cycles, summary.ReopenMilliseconds.Count);
        Assert.True(summary.AcknowledgedRecords > 0, "the children acknowledged nothing: the run checked nothing");
        Assert.True(summary.GcRuns > 0 && summary.GcPruned > 0, "no collection pruned anything: GC was not exercised");
    }
}
