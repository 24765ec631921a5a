using Engine.Log;
using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// Damage to segment files that a crash cannot produce: each case opens with the data intact,
/// or reports <see cref="LogEngineError.Corrupted"/> naming the file and byte, and with
/// <c>RepairCorruption</c> keeps what lies before the damage and reports what it dropped.
/// Never silent loss, never a raw exception.
/// </summary>
public sealed class SegmentDamageTests
{
    private static readonly LogEngineOptions Always = new()
    {
        Durability = Durability.Always,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        CheckpointBytes = long.MaxValue / 2,
        CheckpointInterval = TimeSpan.FromHours(1),
        Workers = 0,
    };

    /// <summary>
    /// A store of three data segments, every record fsync'd (Always), and no checkpoint: the
    /// image a crash leaves before the first checkpoint. Returns the ids committed, in order.
    /// </summary>
    private static async Task<List<string>> CrashTimeStoreAsync(TempDirectory dir)
    {
        var ids = new List<string>();
        await using (var engine = LogEngine.Open(dir.Path, Always))
        {
            var body = new byte[8 * 1024];
            for (var i = 0; i < 300; i++)
            {
                body[0] = (byte)i;
                ids.Add(await engine.CommitAsync("t", body));
            }
        }
        foreach (var checkpoint in Directory.GetFiles(dir.Path, "checkpoint.*")) File.Delete(checkpoint);
        return ids;
    }

    private static string[] Segments(TempDirectory dir) => [.. Directory.GetFiles(dir.Combine("log"), "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>The last segment holding frames (the one after it, if any, is the empty spare).</summary>
    private static string LastDataSegment(TempDirectory dir) =>
        Segments(dir).Last(f => File.ReadAllBytes(f).AsSpan(SegmentHeader.Length, FrameHeader.Length).IndexOfAnyExcept((byte)0) >= 0);

    [Fact]
    public async Task A_last_segment_cut_to_exactly_its_header_is_reported_not_silently_lost()
    {
        using var dir = new TempDirectory();
        await CrashTimeStoreAsync(dir);
        var last = LastDataSegment(dir);
        using (var file = new FileStream(last, FileMode.Open)) file.SetLength(SegmentHeader.Length);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path, Always));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.Contains(Path.GetFileName(last), error.Message, StringComparison.Ordinal);
        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repairing_a_segment_cut_short_keeps_what_is_before_and_reports_the_cut()
    {
        using var dir = new TempDirectory();
        var ids = await CrashTimeStoreAsync(dir);
        var last = LastDataSegment(dir);
        using (var file = new FileStream(last, FileMode.Open)) file.SetLength(SegmentHeader.Length);

        await using var engine = LogEngine.Open(dir.Path, Always with { RepairCorruption = true });
        Assert.True(engine.LastRecovery.CutDurableData);
        Assert.Contains(Path.GetFileName(last), engine.LastRecovery.CutAt, StringComparison.Ordinal);
        Assert.NotEmpty(engine.LastRecovery.Repairs);
        var kept = (await engine.RangeAsync("t")).Select(e => e.Id).ToList();
        Assert.True(kept.Count is > 0 and < 300, $"{kept.Count} kept");
        Assert.Equal(ids.Take(kept.Count), kept);
    }

    [Fact]
    public async Task Eight_damaged_bytes_in_a_seal_are_corruption_not_a_torn_tail_that_drops_the_next_segment()
    {
        using var dir = new TempDirectory();
        var ids = await CrashTimeStoreAsync(dir);
        var first = Segments(dir)[0];
        var seal = SealOffset(first);
        using (var file = new FileStream(first, FileMode.Open)) RandomAccess.Write(file.SafeFileHandle, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, seal + 8);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path, Always));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.Contains($"{Path.GetFileName(first)} at byte {seal}", error.Message, StringComparison.Ordinal);

        await using var repaired = LogEngine.Open(dir.Path, Always with { RepairCorruption = true });
        Assert.True(repaired.LastRecovery.CutDurableData);
        var kept = (await repaired.RangeAsync("t")).Select(e => e.Id).ToList();
        Assert.Equal(ids.Take(kept.Count), kept);
    }

    [Fact]
    public async Task Repair_that_drops_a_missing_middle_segment_says_so()
    {
        using var dir = new TempDirectory();
        var ids = await CrashTimeStoreAsync(dir);
        var middle = Segments(dir)[1];
        File.Delete(middle);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path, Always));
        Assert.Equal(LogEngineError.Corrupted, error.Code);

        await using var engine = LogEngine.Open(dir.Path, Always with { RepairCorruption = true });
        var report = engine.LastRecovery;
        Assert.NotNull(report.CutAt);
        Assert.NotNull(report.CutReason);
        Assert.True(report.CutDurableData);
        Assert.True(report.SegmentsDiscarded >= 1);
        Assert.Contains(report.Repairs, r => r.Contains("discarded", StringComparison.Ordinal));
        var kept = (await engine.RangeAsync("t")).Select(e => e.Id).ToList();
        Assert.Equal(ids.Take(kept.Count), kept);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bytes_appended_past_a_segments_capacity_are_cut_off_and_the_data_is_intact(bool lastSegment)
    {
        using var dir = new TempDirectory();
        var ids = await CrashTimeStoreAsync(dir);
        var segment = lastSegment ? LastDataSegment(dir) : Segments(dir)[0];
        var garbage = new byte[5000];
        new Random(3).NextBytes(garbage);
        using (var file = new FileStream(segment, FileMode.Append)) file.Write(garbage);

        await using var engine = LogEngine.Open(dir.Path, Always);
        Assert.Equal(ids, (await engine.RangeAsync("t")).Select(e => e.Id));
        Assert.Null(engine.LastRecovery.CutAt);
        Assert.Equal(LogEngineOptions.MinSegmentSize, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task A_new_store_says_it_is_new_and_not_that_it_was_closed_cleanly()
    {
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path, Always))
        {
            Assert.True(engine.LastRecovery.NewStore);
            Assert.False(engine.LastRecovery.CleanShutdown);
            await engine.CommitAsync("t", "x"u8.ToArray());
        }
        await using (var engine = LogEngine.Open(dir.Path, Always))
        {
            Assert.False(engine.LastRecovery.NewStore);
            Assert.True(engine.LastRecovery.CleanShutdown);
        }
    }

    [Fact]
    public async Task A_kill_after_frames_follow_a_clean_checkpoint_is_not_a_clean_shutdown()
    {
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path)) await engine.CommitAsync("before", "a"u8.ToArray());
        await using (var child = ChildProcess.Start("hold", dir.Path)) // opens, commits "x", says READY
        {
            Assert.Equal("READY", await child.ReadLineAsync(TimeSpan.FromSeconds(30)));
            child.Kill();
        }
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.False(reopened.LastRecovery.CleanShutdown);
        Assert.True(reopened.LastRecovery.ReplayedFrames > 0);
        Assert.Equal("x", (await reopened.RangeAsync("held")).Single().BodyText);
    }

    /// <summary>The offset of the seal frame in a full segment.</summary>
    private static long SealOffset(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        long position = SegmentHeader.Length;
        while (true)
        {
            var status = FrameDecoder.TryRead(bytes.AsSpan((int)position), position, out var header, out var error);
            Assert.True(status == FrameStatus.Valid, $"frame at {position}: {error}");
            if (header.Kind == FrameKind.Seal) return position;
            position += header.FrameLength;
        }
    }
}
