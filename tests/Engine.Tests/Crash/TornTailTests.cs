using Engine.Tests.Support;

namespace Engine.Tests.Crash;

/// <summary>
/// A crash mid-write leaves the last frame torn: its bytes from some offset on never reached the
/// disk, and read as the zeros the file was made of. Tearing the frame at every byte offset, the
/// store must open, keep every earlier record exactly, drop the torn batch whole, say where it cut,
/// and accept new commits with the next seq. (A file cut short is not a tear but damage: see
/// TruncatedSegmentTests.)
/// </summary>
public sealed class TornTailTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tearing_the_final_frame_anywhere_drops_only_that_frame(bool checkpointHalfway)
    {
        using var image = new StoreImage(batches: 12, closeCleanly: false, checkpointHalfway);
        var all = image.Expected;
        var survivors = all.Where(e => e.Batch < image.Batches - 1).ToList();
        // Cutting only the zero padding that ends the frame changes no byte: the frame stays whole.
        var meaningfulEnd = MeaningfulEnd(image);
        for (var cut = image.LastFrameStart; cut < image.LastFrameEnd; cut++)
        {
            using var copy = new TempDirectory();
            image.CopyTo(copy.Path);
            var segment = SegmentFiles(copy).First();
            Tear(segment, cut, image.LastFrameEnd);

            await using var engine = LogEngine.Open(copy.Path);
            var torn = cut < meaningfulEnd;
            var expected = torn ? survivors : all;
            await AssertHoldsExactlyAsync(engine, expected, $"cut at {cut}");
            if (torn && cut > image.LastFrameStart) Assert.NotNull(engine.LastRecovery.CutAt);
            var id = await engine.CommitAsync("even", "after"u8.ToArray());
            Assert.EndsWith($"-{expected.Count(s => s.Topic == "even")}", id);
        }
    }

    [Fact]
    public async Task Garbage_after_the_last_whole_frame_is_a_torn_tail_not_corruption()
    {
        using var image = new StoreImage(batches: 12, closeCleanly: false);
        var survivors = image.Expected.Where(e => e.Batch < image.Batches - 1).ToList();
        var random = new Random(7);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var copy = new TempDirectory();
            image.CopyTo(copy.Path);
            var from = random.NextInt64(image.LastFrameStart, image.LastFrameEnd);
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            using (var file = new FileStream(SegmentFiles(copy).First(), FileMode.Open)) RandomAccess.Write(file.SafeFileHandle, garbage, from);

            await using var engine = LogEngine.Open(copy.Path);
            await AssertHoldsExactlyAsync(engine, survivors, $"garbage at {from}");
            Assert.Contains("torn tail", engine.LastRecovery.CutReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_torn_tail_that_is_cut_does_not_come_back_after_new_writes_and_another_crash()
    {
        using var image = new StoreImage(batches: 6, closeCleanly: false);
        using var copy = new TempDirectory();
        image.CopyTo(copy.Path);
        Tear(SegmentFiles(copy).First(), image.LastFrameEnd - 8, image.LastFrameEnd);
        await using (var engine = LogEngine.Open(copy.Path))
            await engine.CommitAsync("odd", "x"u8.ToArray());
        await using (var engine = LogEngine.Open(copy.Path))
        {
            var odd = await engine.RangeAsync("odd");
            Assert.Equal("x", odd[^1].BodyText);
            Assert.Equal(image.Expected.Count(e => e.Topic == "odd" && e.Batch < image.Batches - 1) + 1, odd.Count);
        }
    }

    /// <summary>What a crash mid-write leaves: <c>[from, to)</c> never reached the disk and reads as zeros.</summary>
    internal static void Tear(string segment, long from, long to)
    {
        using var file = new FileStream(segment, FileMode.Open);
        RandomAccess.Write(file.SafeFileHandle, new byte[to - from], from);
    }

    private static long MeaningfulEnd(StoreImage image)
    {
        using var copy = new TempDirectory();
        image.CopyTo(copy.Path);
        var bytes = File.ReadAllBytes(SegmentFiles(copy).First());
        var frame = bytes.AsSpan((int)image.LastFrameStart, (int)(image.LastFrameEnd - image.LastFrameStart));
        return image.LastFrameStart + frame.LastIndexOfAnyExcept((byte)0) + 1;
    }

    /// <summary>Segment files in log order; the first holds every frame of these small stores (a second one is the empty spare).</summary>
    internal static string[] SegmentFiles(TempDirectory directory) =>
        Directory.GetFiles(directory.Combine("log"), "*.seg").Order(StringComparer.Ordinal).ToArray();

    internal static async Task AssertHoldsExactlyAsync(LogEngine engine, List<(string Topic, string Id, byte[] Body, int Batch)> expected, string context)
    {
        foreach (var topic in new[] { "even", "odd" })
        {
            var want = expected.Where(e => e.Topic == topic).ToList();
            var got = await engine.RangeAsync(topic);
            Assert.True(want.Count == got.Count, $"{context}: topic {topic} has {got.Count} records, expected {want.Count}");
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Id, got[i].Id);
                Assert.True(want[i].Body.AsSpan().SequenceEqual(got[i].Body.Span), $"{context}: body of {want[i].Id} differs");
            }
        }
    }
}
