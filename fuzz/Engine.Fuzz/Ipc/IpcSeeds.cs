using System.Text;
using Engine.Fuzz.Targets;
using Engine.Ipc.Protocol;

namespace Engine.Fuzz.Ipc;

/// <summary>Seeds for the IPC targets: well-formed frames and messages, built from a fixed seed.</summary>
internal static class IpcSeeds
{
    public static IEnumerable<byte[]> Frames(int seed)
    {
        var rng = new Random(seed);
        for (var i = 0; i < 8; i++)
        {
            var stream = new List<byte>();
            for (var frames = rng.Next(1, 4); frames > 0; frames--)
            {
                var payload = new byte[rng.Next(0, 40)];
                rng.NextBytes(payload);
                stream.AddRange(WireFrames.Bytes((FrameKind)rng.Next(1, 8), (uint)rng.Next(), payload));
            }
            // Control: cut into 1..15-byte segments (0: whole), frame limits from 4 KiB up.
            yield return [(byte)((6 + i % 8) << 4 | i % 16), .. stream];
        }
    }

    public static IEnumerable<byte[]> Messages()
    {
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var state = new ProcState("p", "t", ProcStatus.Active, ">", start, "1-0..1-1", "", "1-0..1-0", start, null, 1, 10,
            TimeSpan.FromSeconds(5), OnMaxReclaims.DeadLetter) { DeadLetterTopic = "p__dead" };
        object?[] values =
        [
            new CommitLog[] { new("a", "x"u8.ToArray()), new("b", Array.Empty<byte>()) },
            new[] { "one", "" },
            new LogEntry[] { new("1-0", Encoding.UTF8.GetBytes("body")) },
            new RangeOptions { Start = "1-0", End = null, Limit = 10, Exclusive = true },
            new ProcOptions { Name = "p", Offset = ">", Count = 3, MaxReclaims = 2, OnMaxReclaimsReached = OnMaxReclaims.Disable },
            new[] { state },
            new TopicInfo[] { new("t", 2, "1-0", "1-1") },
            new ProcInfo[] { new(state, 4, TimeSpan.FromMilliseconds(3)), new(state, 0, null) },
            new AckCommitResult("1-0..1-1", ["2-0"]),
            new SystemProcOptions { Name = "s", Offset = ">", From = ["a"], To = ["b", "c"], Processor = "x.dll", Count = 5 },
            new GcReport { RecordsPruned = 3, SegmentsDeleted = 1, BytesFreed = 4096, Elapsed = TimeSpan.FromMilliseconds(2) },
            new EngineStats([new WorkerStats(0, 42, 7, 1, 0, TimeSpan.FromTicks(9), "Ready")],
                [new SystemProcStats("s", "x.dll", 7, 1, 0, TimeSpan.FromTicks(3), null)]),
            new AckAndProcResult("1-0", [new LogEntry("1-1", "next"u8.ToArray())]),
        ];
        for (var i = 0; i < values.Length; i++) yield return [(byte)i, .. IpcMessageTarget.Encode(i, values[i])];
        yield return [3, .. IpcMessageTarget.Encode(3, null)]; // no range options
    }
}
