using Engine.Log;
using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// Frames under a page are written in place through the segment's mapping; larger ones are
/// appended with one write call (format-spec.md, section 3.5). Both read back the same, now and
/// after reopening.
/// </summary>
public sealed class AppendPathTests
{
    private static LogEngineOptions Options => new() { Durability = Durability.Batched, Workers = 0, CheckpointInterval = TimeSpan.FromHours(1) };

    [Fact]
    public async Task A_small_frame_is_written_in_place_and_a_large_one_with_one_write_call()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using (var engine = LogEngine.OpenOn(medium, Options))
        {
            await engine.CommitAsync("t", new byte[100]);
            Assert.Equal(0, Volatile.Read(ref medium.SegmentWrites));

            // Just under and at the threshold: the frame is the header, then 8-aligned record entries.
            var justUnder = LogWriter.LargeFrame - FrameHeader.Length - RecordEntry.PaddedLength(0) - 8;
            await engine.CommitAsync("t", new byte[justUnder]);
            Assert.Equal(0, Volatile.Read(ref medium.SegmentWrites));

            await engine.CommitAsync([new CommitLog("t", new byte[3000]), new CommitLog("u", new byte[3000])]);
            Assert.Equal(1, Volatile.Read(ref medium.SegmentWrites));
            await engine.CommitAsync("t", new byte[200]);
            Assert.Equal(1, Volatile.Read(ref medium.SegmentWrites));
            Assert.Equal([100, justUnder, 3000, 200], (await engine.RangeAsync("t")).Select(e => e.Body.Length));
        }
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal([100, LogWriter.LargeFrame - FrameHeader.Length - RecordEntry.PaddedLength(0) - 8, 3000, 200], (await reopened.RangeAsync("t")).Select(e => e.Body.Length));
        Assert.Equal(1, await reopened.LengthAsync("u"));
    }

    [Fact]
    public async Task Frames_of_both_kinds_interleaved_across_segment_rolls_read_back_byte_for_byte()
    {
        using var dir = new TempDirectory();
        var options = Options with { SegmentSize = LogEngineOptions.MinSegmentSize };
        var random = new Random(7);
        var bodies = new List<byte[]>();
        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            for (var i = 0; i < 600; i++)
            {
                var body = new byte[i % 3 == 0 ? random.Next(4096, 20_000) : random.Next(0, 600)];
                random.NextBytes(body);
                bodies.Add(body);
                await engine.CommitAsync("t", body);
            }
            Assert.True(engine.Store.Segments.Snapshot.Count > 2, "the log did not roll");
            AssertSame(bodies, await engine.RangeAsync("t"));
        }
        await using var reopened = LogEngine.Open(dir.Path, options);
        AssertSame(bodies, await reopened.RangeAsync("t"));
    }

    private static void AssertSame(List<byte[]> expected, IReadOnlyList<LogEntry> read)
    {
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i].AsSpan().SequenceEqual(read[i].Body.Span), $"record {i} differs");
    }
}
