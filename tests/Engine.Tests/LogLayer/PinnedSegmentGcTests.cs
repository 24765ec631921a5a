using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.LogLayer;

/// <summary>
/// A slow proc that keeps an old claim open pins the oldest segment, and the GC then deletes
/// dead segments after it: the log has a hole. The store must reopen (after a clean close and
/// after a crash-time image), with every kept record and the claim intact.
/// </summary>
public sealed class PinnedSegmentGcTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    internal static LogEngineOptions Options(FakeTimeProvider clock) => new()
    {
        TimeProvider = clock,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromHours(1) },
        Workers = 0,
    };

    /// <summary>
    /// Pins segment 0 with a claimed record and enough other kept records that compaction leaves it
    /// where it is (it is over a quarter live), fills later segments with prunable records, collects.
    /// </summary>
    internal static async Task<(string PinnedId, GcReport Report)> MakeHoleAsync(LogEngine engine, FakeTimeProvider clock)
    {
        var pinned = await engine.CommitAsync("pinned", "keep me"u8.ToArray());
        var claim = await engine.ProcAsync("pinned", new ProcOptions { Name = "slow", Count = 1, ReclaimTimeout = TimeSpan.FromDays(1) });
        Assert.Equal(pinned, claim.Single().Id);
        for (var i = 0; i < 40; i++) await engine.CommitAsync("pinned", new byte[8 * 1024]); // 320 KiB, kept behind the claim
        var body = new byte[16 * 1024];
        for (var i = 0; i < 300; i++) await engine.CommitAsync("churn", body); // ~4.7 MiB: several segments
        clock.Advance(TimeSpan.FromMinutes(5));
        var report = await engine.CollectGarbageAsync();
        return (pinned, report);
    }

    [Fact]
    public async Task A_store_whose_oldest_segment_is_pinned_reopens_after_gc_deleted_later_segments()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        string pinned;
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            (pinned, var report) = await MakeHoleAsync(engine, clock);
            Assert.True(report.SegmentsDeleted >= 2, $"GC deleted {report.SegmentsDeleted} segments");
            Assert.True(File.Exists(dir.Combine("log", "00000000000000000000.seg")), "segment 0 is pinned and must stay");
        }

        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            Assert.True(engine.LastRecovery.CleanShutdown);
            Assert.Empty(engine.LastRecovery.Repairs);
            Assert.Equal("keep me", (await engine.RangeAsync("pinned", new RangeOptions { Limit = 1 })).Single().BodyText);
            Assert.Equal(41, await engine.LengthAsync("pinned"));
            var slow = await engine.InspectProcAsync("slow");
            Assert.Equal(pinned, slow.LastClaimedRange);
            Assert.Equal(0, await engine.LengthAsync("churn"));
            Assert.EndsWith("-300", await engine.CommitAsync("churn", "next"u8.ToArray()));
        }
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
            Assert.Equal("next", (await engine.RangeAsync("churn")).Single().BodyText);
        Assert.Empty(Directory.GetFiles(dir.Combine("log"), "*.deleted"));
    }

    [Fact]
    public async Task Segments_the_gc_retired_but_a_crash_kept_from_deleting_are_deleted_on_open()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
            await MakeHoleAsync(engine, clock);
        // What a crash between the GC's checkpoints and its deletion leaves: files the catalog no
        // longer lists (one still named .seg, one renamed .seg.deleted). Recreate both.
        var header = File.ReadAllBytes(dir.Combine("log", "00000000000000000000.seg")).AsSpan(0, 64).ToArray();
        var retired = dir.Combine("log", "00000000000001048576.seg");
        Assert.False(File.Exists(retired));
        File.WriteAllBytes(retired, RebasedHeader(header, 1048576));
        File.WriteAllBytes(dir.Combine("log", "00000000000002097152.seg.deleted"), RebasedHeader(header, 2097152));

        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            Assert.Equal("keep me", (await engine.RangeAsync("pinned", new RangeOptions { Limit = 1 })).Single().BodyText);
            Assert.Empty(engine.LastRecovery.Repairs);
        }
        Assert.False(File.Exists(retired));
        Assert.Empty(Directory.GetFiles(dir.Combine("log"), "*.deleted"));
    }

    /// <summary>A valid segment header like <paramref name="header"/>, for another base.</summary>
    private static byte[] RebasedHeader(byte[] header, long basePosition)
    {
        var bytes = new byte[64];
        Assert.True(Engine.Log.SegmentHeader.TryRead(header, out var parsed, out _));
        new Engine.Log.SegmentHeader(basePosition, parsed.Capacity, parsed.CreatedAtMs, parsed.Version).Write(bytes);
        return bytes;
    }
}
