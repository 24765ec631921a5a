using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Golden;

/// <summary>
/// A fixed sequence of operations with a fixed clock, so the files it leaves are the same bytes
/// every time. Durability.None keeps the flusher out of the frames' syncedUpTo fields, and the
/// checkpoint thresholds are out of reach so the only checkpoint is the clean close's.
/// </summary>
internal static class GoldenScenario
{
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static LogEngineOptions Options(TimeProvider clock) => new()
    {
        Durability = Durability.None,
        SegmentSize = 1024 * 1024,
        TimeProvider = clock,
        CheckpointBytes = long.MaxValue / 4,
        CheckpointInterval = TimeSpan.FromDays(1),
    };

    public static async Task WriteAsync(string directory)
    {
        var clock = new ManualClock(Start);
        await using var engine = LogEngine.Open(directory, Options(clock));
        await engine.CommitAsync("alpha", Text("hello"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await engine.CommitAsync([new("alpha", Text("a1")), new("beta", Text("b1")), new("ünïcødé", Text("u1"))]);
        await engine.CommitAsync("alpha", ReadOnlyMemory<byte>.Empty);
        clock.Advance(TimeSpan.FromSeconds(-5)); // the wall clock steps back
        await engine.CommitAsync("beta", Text("after step back"));
        clock.Advance(TimeSpan.FromSeconds(5) + TimeSpan.FromMilliseconds(10));
        await engine.CommitAsync([.. Enumerable.Range(0, 20).Select(i => new CommitLog("beta", Text($"record {i}")))]);
        for (var i = 0; i < 12; i++) await engine.CommitAsync("big", Big(i)); // rolls to a second segment
        await engine.CommitJsonAsync("json", new { n = 1, s = "x" });

        // Proc entries: create + claim, reclaim, claim, ack-commit, disable, resume, and a destroyed proc.
        var options = new ProcOptions { Name = "reader", Count = 2, MaxReclaims = 5, ReclaimTimeout = TimeSpan.FromSeconds(30) };
        await engine.ProcAsync("alpha", options);
        await engine.ReclaimProcAsync("reader");
        await engine.ProcAsync("alpha", options);
        await engine.AckCommitAsync("reader", [new("beta", Text("derived"))]);
        await engine.DisableProcAsync("reader");
        await engine.ResumeProcAsync("reader");
        await engine.ProcAsync("json", new ProcOptions { Name = "gone", Offset = "$>" });
        await engine.DestroyProcAsync("gone");

        // A DLL system proc's durable registration (written without running it: no workers here).
        await engine.WriteRegistrationAsync(new SystemProcs.SystemProcRegistration(new SystemProcOptions
        {
            Name = "pipeline", From = ["alpha", "beta"], To = ["gamma"], Processor = "/processors/Pipeline.dll:Pipeline.Step", Count = 10,
        }, DropIn: false));
    }

    /// <summary>What the scenario's store reads back as: topic, then ids and bodies in order.</summary>
    public static IReadOnlyDictionary<string, (string Id, byte[] Body)[]> Expected()
    {
        var t0 = Start.ToUnixTimeMilliseconds();
        return new Dictionary<string, (string, byte[])[]>
        {
            ["alpha"] = [($"{t0}-0", Text("hello")), ($"{t0 + 1}-1", Text("a1")), ($"{t0 + 1}-2", [])],
            ["beta"] = [($"{t0 + 1}-0", Text("b1")), ($"{t0 + 1}-1", Text("after step back")),
                .. Enumerable.Range(0, 20).Select(i => ($"{t0 + 11}-{i + 2}", Text($"record {i}"))), ($"{t0 + 11}-22", Text("derived"))],
            ["ünïcødé"] = [($"{t0 + 1}-0", Text("u1"))],
            ["big"] = [.. Enumerable.Range(0, 12).Select(i => ($"{t0 + 11}-{i}", Big(i)))],
            ["json"] = [($"{t0 + 11}-0", Text("""{"n":1,"s":"x"}"""))],
        };
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>100 KB of a repeating pattern: big enough to roll segments, small in git.</summary>
    private static byte[] Big(int i) => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"big body {i:00}|", 10_000)));
}
