using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Gc;

public sealed class GcTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);
    private static readonly GcOptions Gc = new() { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromHours(1) };

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Records_older_than_min_prune_time_disappear_from_reads_and_length(string kind)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using var engine = StoreKind.Named(kind).Open(dir, new LogEngineOptions { TimeProvider = clock, Gc = Gc });
        var old = await engine.CommitAsync([.. Enumerable.Range(0, 5).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        clock.Advance(TimeSpan.FromSeconds(20));
        var young = await engine.CommitAsync([.. Enumerable.Range(5, 3).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        clock.Advance(TimeSpan.FromSeconds(15)); // old: 35 s, young: 15 s

        var report = await engine.CollectGarbageAsync();

        Assert.Equal(5, report.RecordsPruned);
        Assert.Equal(3, await engine.LengthAsync("t"));
        Assert.Equal(young, (await engine.RangeAsync("t")).Select(e => e.Id));
        var error = await Assert.ThrowsAsync<LogEngineException>(() => engine.RangeAsync("t", new RangeOptions { Start = ":0" }).AsTask());
        Assert.Equal(LogEngineError.SequenceNotFound, error.Code);
        Assert.EndsWith("-8", await engine.CommitAsync("t", "next"u8.ToArray())); // seqs are never reused
        Assert.Equal(young, (await engine.RangeAsync("t", new RangeOptions { Limit = 3 })).Select(e => e.Id));
        Assert.NotEqual(old[0], young[0]);
    }

    [Fact]
    public async Task Seqs_are_not_reused_after_pruning_and_reopening()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        var options = new LogEngineOptions { TimeProvider = clock, Gc = Gc };
        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            await engine.CommitAsync([.. Enumerable.Range(0, 4).Select(i => new CommitLog("t", new[] { (byte)i }))]);
            clock.Advance(TimeSpan.FromMinutes(1));
            await engine.CollectGarbageAsync();
            Assert.Equal(0, await engine.LengthAsync("t"));
        }
        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            Assert.Equal(0, await engine.LengthAsync("t"));
            Assert.Empty(await engine.RangeAsync("t"));
            Assert.EndsWith("-4", await engine.CommitAsync("t", "x"u8.ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_topic_with_procs_keeps_everything_an_active_proc_has_not_acked(string kind)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using var engine = StoreKind.Named(kind).Open(dir, new LogEngineOptions { TimeProvider = clock, Gc = Gc });
        var ids = await engine.CommitAsync([.. Enumerable.Range(0, 10).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        var fast = new ProcOptions { Name = "fast", Count = 6, ReclaimTimeout = TimeSpan.FromHours(1) };
        var slow = new ProcOptions { Name = "slow", Count = 3, ReclaimTimeout = TimeSpan.FromHours(1) };
        await engine.ProcAsync("t", fast);
        await engine.AckAsync("fast");             // fast acked 0..5
        await engine.ProcAsync("t", slow);
        await engine.AckAsync("slow");             // slow acked 0..2
        await engine.ProcAsync("t", slow);         // slow claims 3..5, not acked
        clock.Advance(TimeSpan.FromMinutes(1));    // everything is old enough

        await engine.CollectGarbageAsync();
        Assert.Equal(ids.Skip(3), (await engine.RangeAsync("t")).Select(e => e.Id));

        await engine.DisableProcAsync("slow");     // a disabled proc holds nothing back
        await engine.CollectGarbageAsync();
        Assert.Equal(ids.Skip(6), (await engine.RangeAsync("t")).Select(e => e.Id));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Nothing_younger_than_min_prune_time_is_pruned_even_when_acked(string kind)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using var engine = StoreKind.Named(kind).Open(dir, new LogEngineOptions { TimeProvider = clock, Gc = Gc });
        await engine.CommitAsync([.. Enumerable.Range(0, 4).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        await engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 4 });
        await engine.AckAsync("p");
        clock.Advance(TimeSpan.FromSeconds(29));

        var report = await engine.CollectGarbageAsync();

        Assert.Equal(0, report.RecordsPruned);
        Assert.Equal(4, await engine.LengthAsync("t"));
    }

    [Fact]
    public async Task Pruning_gives_disk_space_back()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using var engine = LogEngine.Open(dir.Path, new LogEngineOptions { TimeProvider = clock, Gc = Gc, SegmentSize = 1024 * 1024 });
        var body = new byte[4000];
        for (var batch = 0; batch < 40; batch++)
            await engine.CommitAsync([.. Enumerable.Range(0, 50).Select(_ => new CommitLog("bulk", body))]); // ~8 MB
        var before = StoreSize(dir);
        clock.Advance(TimeSpan.FromMinutes(1));
        await engine.CommitAsync("keep", "young"u8.ToArray());

        var report = await engine.CollectGarbageAsync();

        var after = StoreSize(dir);
        Assert.Equal(2000, report.RecordsPruned);
        Assert.True(report.SegmentsDeleted >= 6, $"deleted {report.SegmentsDeleted} segments");
        Assert.True(after < before / 3, $"store was {before} bytes, is {after} after GC");
        Assert.Equal("young", (await engine.RangeAsync("keep"))[0].BodyText);
        await engine.CommitAsync("bulk", body);
        Assert.Equal(1, await engine.LengthAsync("bulk"));
    }

    [Fact]
    public async Task Live_records_of_mostly_dead_segments_are_compacted_forward_so_the_segments_can_go()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        var options = new LogEngineOptions { TimeProvider = clock, Gc = Gc, SegmentSize = 1024 * 1024 };
        var pinned = new List<string>();
        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            var body = new byte[4000];
            for (var batch = 0; batch < 40; batch++)
            {
                // A slow topic's record in every segment, held by a proc that never acks.
                pinned.Add(await engine.CommitAsync("pinned", new[] { (byte)batch }));
                await engine.CommitAsync([.. Enumerable.Range(0, 50).Select(_ => new CommitLog("bulk", body))]);
            }
            await engine.ProcAsync("pinned", new ProcOptions { Name = "never-acks", ReclaimTimeout = TimeSpan.FromDays(1) });
            clock.Advance(TimeSpan.FromMinutes(1));
            var before = StoreSize(dir);

            var report = await engine.CollectGarbageAsync();

            // Every pinned record outside the tail segment (which is never compacted) moved forward.
            Assert.InRange(report.RecordsRelocated, 30, 40);
            Assert.True(StoreSize(dir) < before / 3, $"store was {before} bytes, is {StoreSize(dir)} after GC");
            await AssertPinnedAsync(engine);
        }
        await using (var reopened = LogEngine.Open(dir.Path, options))
            await AssertPinnedAsync(reopened);

        async Task AssertPinnedAsync(LogEngine engine)
        {
            var read = await engine.RangeAsync("pinned");
            Assert.Equal(pinned, read.Select(e => e.Id));
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (byte)i), read.Select(e => e.Body.Span[0]));
        }
    }

    [Fact]
    public async Task The_periodic_collector_runs_on_the_engine_clock()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { TimeProvider = clock, Gc = new GcOptions { MinPruneTime = TimeSpan.Zero, Interval = TimeSpan.FromSeconds(10) } });
        await engine.CommitAsync("t", "x"u8.ToArray());
        var ran = new TaskCompletionSource<GcReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Store.Gc.Completed += report => ran.TrySetResult(report);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(ran.Task.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(10));

        var report = await ran.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, report.RecordsPruned);
    }

    /// <summary>Bytes the store's files occupy on disk (allocated blocks, as du counts them: files are sparse).</summary>
    private static long StoreSize(TempDirectory dir) => DiskUsage.Of(dir.Path);
}
