using Engine.Tests.Support;

namespace Engine.Tests.Crash;

/// <summary>
/// A child process claims input records and ack-commits one output per input under
/// Durability.Always, and is SIGKILLed at random moments. After each kill the store must hold
/// exactly one output for every input the proc acked, none for the others, and every
/// acknowledged ack-commit must be there: nothing lost, nothing processed twice.
/// </summary>
public sealed class AckCommitCrashTests
{
    private const int Inputs = 1500;

    /// <summary>Ack-commits the child makes before it waits for a go-ahead (the stride of Engine.TestChild's proc-loop).</summary>
    private const int ChildStride = 10;

    [Fact]
    public async Task Ack_commit_loops_killed_at_random_lose_nothing_and_duplicate_nothing()
    {
        using var dir = new TempDirectory();
        IReadOnlyList<string> inputs;
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { SegmentSize = 1024 * 1024 }))
            inputs = await engine.CommitAsync([.. Enumerable.Range(0, Inputs).Select(i => new CommitLog("in", new byte[20]))]);

        var random = new Random(24);
        var acknowledged = new HashSet<string>();
        var cycles = 0;
        for (var done = false; !done; cycles++)
        {
            Assert.True(cycles < 200, "the child never finished the inputs");
            await using (var child = ChildProcess.Start("proc-loop", dir.Path, random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.Equal("READY", await child.ReadLineAsync(TimeSpan.FromSeconds(30)));
                var acksBeforeKill = random.Next(1, 120);
                for (var i = 0; i < acksBeforeKill && !done; i++)
                {
                    var line = await child.ReadLineAsync(TimeSpan.FromSeconds(30));
                    if (line == "DONE") done = true;
                    else acknowledged.Add(line!["ACKED ".Length..]);
                    // The child waits after every ten ack-commits: let it go on, ten ahead of this reader.
                    if (!done && (i + 1) % ChildStride == 0) await child.WriteLineAsync("go");
                }
                child.Kill();
                foreach (var line in child.DrainLines().Where(l => l.StartsWith("ACKED ", StringComparison.Ordinal)))
                    acknowledged.Add(line["ACKED ".Length..]);
            }
            await VerifyAsync(dir, inputs, acknowledged, cycles);
        }
        Assert.True(cycles >= 3, $"only {cycles} cycles: the kills did not interrupt the work");
    }

    private static async Task VerifyAsync(TempDirectory dir, IReadOnlyList<string> inputs, HashSet<string> acknowledged, int cycle)
    {
        await using var engine = LogEngine.Open(dir.Path);
        var state = await engine.InspectProcAsync("p").AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        var ackedThrough = state is null || state.LastAckedRange == "" ? -1 : SeqOf(state.LastAckedRange.Split("..")[^1]);
        IReadOnlyList<LogEntry> outputs;
        try
        {
            outputs = await engine.RangeAsync("out");
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            outputs = [];
        }
        var processed = outputs.Select(o => o.BodyText).ToList();
        Assert.True(processed.Count == processed.Distinct().Count(), $"cycle {cycle}: an input was processed twice");
        Assert.Equal(inputs.Take((int)ackedThrough + 1), processed); // exactly the acked inputs, in order
        foreach (var range in acknowledged)
        {
            var last = SeqOf(range.Split("..")[^1]);
            Assert.True(last <= ackedThrough, $"cycle {cycle}: acknowledged ack-commit {range} is lost (proc acked through {ackedThrough})");
        }
    }

    private static long SeqOf(string id) => long.Parse(id[(id.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
