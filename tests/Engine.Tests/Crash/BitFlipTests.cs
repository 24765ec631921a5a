using Engine.Tests.Support;

namespace Engine.Tests.Crash;

/// <summary>
/// Single bit flips in stored files. Damage to the log may make opening or reading fail with
/// <see cref="LogEngineError.Corrupted"/>, or (after a crash, in the unsynced tail) cut whole
/// batches, but it never yields a wrong record. Damage to an index never loses anything: the
/// index is rebuilt from the log.
/// </summary>
public sealed class BitFlipTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_flipped_bit_in_a_segment_gives_corrupted_or_exact_data_never_wrong_data(bool closeCleanly)
    {
        using var image = new StoreImage(batches: 30, closeCleanly);
        var random = new Random(closeCleanly ? 11 : 12);
        var outcomes = new Dictionary<string, int>();
        for (var attempt = 0; attempt < 150; attempt++)
        {
            using var copy = new TempDirectory();
            image.CopyTo(copy.Path);
            var segment = TornTailTests.SegmentFiles(copy).First();
            var offset = random.NextInt64(0, image.LastFrameEnd + 64);
            FlipBit(segment, offset, random.Next(8));
            var outcome = await OpenAndReadAsync(copy, image, closeCleanly, $"flip at {offset}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // The sample must exercise both detection and harmless flips, or it proves little.
        Assert.True(outcomes.GetValueOrDefault("corrupted") > 0, string.Join(", ", outcomes));
    }

    [Fact]
    public async Task A_flipped_bit_in_an_index_file_is_repaired_from_the_log()
    {
        using var image = new StoreImage(batches: 30, closeCleanly: true);
        var random = new Random(13);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var copy = new TempDirectory();
            image.CopyTo(copy.Path);
            var indexes = Directory.GetFiles(copy.Combine("index"), "*.idx").Order(StringComparer.Ordinal).ToArray();
            var index = indexes[random.Next(indexes.Length)];
            var slots = image.Expected.Count(e => index.EndsWith($"{TopicIdOf(e.Topic):x8}-00000000.idx", StringComparison.Ordinal));
            var offset = random.NextInt64(0, 64 + slots * 16);
            FlipBit(index, offset, random.Next(8));

            await using var engine = LogEngine.Open(copy.Path);
            await TornTailTests.AssertHoldsExactlyAsync(engine, image.Expected, $"index flip at {offset} of {Path.GetFileName(index)}");
        }
    }

    /// <summary>Topics get ids in order of first commit: "even" first.</summary>
    private static int TopicIdOf(string topic) => topic == "even" ? 1 : 2;

    private static void FlipBit(string path, long offset, int bit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        RandomAccess.Read(file.SafeFileHandle, one, offset);
        one[0] ^= (byte)(1 << bit);
        RandomAccess.Write(file.SafeFileHandle, one, offset);
    }

    private static async Task<string> OpenAndReadAsync(TempDirectory copy, StoreImage image, bool closedCleanly, string context)
    {
        LogEngine engine;
        try
        {
            engine = LogEngine.Open(copy.Path);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted)
        {
            return "corrupted";
        }
        await using (engine)
        {
            var seen = new List<(string Topic, LogEntry Entry)>();
            foreach (var topic in new[] { "even", "odd" })
            {
                try
                {
                    seen.AddRange((await engine.RangeAsync(topic)).Select(e => (topic, e)));
                }
                catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted)
                {
                    return "corrupted";
                }
                catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic && !closedCleanly)
                {
                    // the cut took every record of this topic
                }
            }
            foreach (var (topic, entry) in seen)
            {
                var expected = image.Expected.SingleOrDefault(x => x.Topic == topic && x.Id == entry.Id);
                Assert.True(expected.Body is not null, $"{context}: {topic} {entry.Id} was never written");
                Assert.True(expected.Body.AsSpan().SequenceEqual(entry.Body.Span), $"{context}: {topic} {entry.Id} reads back wrong");
            }
            // Whole batches only, and (after a crash) only a cut tail may be missing.
            var batches = seen.Select(s => image.Expected.Single(x => x.Topic == s.Topic && x.Id == s.Entry.Id).Batch).ToHashSet();
            var kept = image.Expected.Where(x => batches.Contains(x.Batch)).ToList();
            Assert.Equal(kept.Count, seen.Count);
            if (closedCleanly) Assert.Equal(image.Expected.Count, seen.Count);
            else Assert.Equal(Enumerable.Range(0, batches.Count), batches.Order());
            return seen.Count == image.Expected.Count ? "exact" : "cut";
        }
    }
}
