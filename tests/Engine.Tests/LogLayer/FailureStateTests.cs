using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// One failure state: a failed fsync or write poisons the store for writes (StoreFailed) while
/// reads go on; a full disk met before anything is written is DiskFull, and writes work again
/// once space is freed.
/// </summary>
public sealed class FailureStateTests
{
    private static LogEngineOptions Options(Durability durability) => new()
    {
        Durability = durability,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        CheckpointInterval = TimeSpan.FromHours(1),
        Workers = 0,
    };

    [Fact]
    public async Task A_failed_fsync_under_batched_poisons_the_store_for_writes_and_reads_go_on()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var engine = LogEngine.OpenOn(medium, Options(Durability.Batched));
        var before = await engine.CommitAsync("t", "acknowledged"u8.ToArray());
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Store.Failures.Failed += e => failed.TrySetResult(e);

        medium.FailFlushes = true;
        await engine.CommitAsync("t", "written, never synced"u8.ToArray()); // the flusher's next fsync fails
        var cause = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.IsType<IOException>(cause);

        var error = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("t", "refused"u8.ToArray()).AsTask());
        Assert.Equal(LogEngineError.StoreFailed, error.Code);
        Assert.Contains("fsync", error.Message, StringComparison.Ordinal);
        var batch = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync([new CommitLog("u", "x"u8.ToArray())]).AsTask());
        Assert.Equal(LogEngineError.StoreFailed, batch.Code);
        var proc = await Assert.ThrowsAsync<LogEngineException>(() => engine.ProcAsync("t", new ProcOptions { Name = "p" }).AsTask());
        Assert.Equal(LogEngineError.StoreFailed, proc.Code);
        Assert.Equal(before, (await engine.RangeAsync("t"))[0].Id); // reads go on
        Assert.Equal(2, await engine.LengthAsync("t"));

        await engine.DisposeAsync(); // never throws, even poisoned
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal("acknowledged", (await reopened.RangeAsync("t"))[0].BodyText);
        Assert.EndsWith("-2", await reopened.CommitAsync("t", "after reopening"u8.ToArray()));
    }

    [Fact]
    public async Task A_failed_append_poisons_the_store_and_its_torn_frame_is_never_read_as_records()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var engine = LogEngine.OpenOn(medium, Options(Durability.Batched));
        await engine.CommitAsync("t", "acknowledged"u8.ToArray());

        medium.FailWrites = true; // the append writes half the frame, then fails with EIO
        var error = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync([new CommitLog("t", new byte[3000]), new CommitLog("t", new byte[3000])]).AsTask());
        Assert.Equal(LogEngineError.StoreFailed, error.Code);
        medium.FailWrites = false;
        var later = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("t", "refused"u8.ToArray()).AsTask());
        Assert.Equal(LogEngineError.StoreFailed, later.Code);
        Assert.Equal(1, await engine.LengthAsync("t")); // the failed batch was never published
        await engine.DisposeAsync();

        await using var reopened = LogEngine.Open(dir.Path);
        var records = await reopened.RangeAsync("t");
        Assert.Equal(["acknowledged"], records.Select(r => r.BodyText));
        Assert.EndsWith("-1", await reopened.CommitAsync("t", "after reopening"u8.ToArray()));
    }

    [Fact]
    public async Task A_failed_fsync_under_always_fails_the_commit_and_every_later_write()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using (var engine = LogEngine.OpenOn(medium, Options(Durability.Always)))
        {
            await engine.CommitAsync("t", "durable"u8.ToArray());
            medium.FailFlushes = true;
            var error = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("t", "not durable"u8.ToArray()).AsTask());
            Assert.Equal(LogEngineError.StoreFailed, error.Code);
            medium.FailFlushes = false; // the disk recovers, but the page cache is not trusted again
            var later = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("t", "later"u8.ToArray()).AsTask());
            Assert.Equal(LogEngineError.StoreFailed, later.Code);
            Assert.Equal("durable", (await engine.RangeAsync("t"))[0].BodyText);
        }
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal("durable", (await reopened.RangeAsync("t"))[0].BodyText);
    }

    [Theory]
    [InlineData(Durability.Always)]
    [InlineData(Durability.Batched)]
    public async Task A_full_disk_is_disk_full_with_nothing_written_and_writes_work_once_space_is_freed(Durability durability)
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using (var engine = LogEngine.OpenOn(medium, Options(durability)))
        {
            await engine.CommitAsync("old", "kept"u8.ToArray());
            medium.DiskFull = true;
            // A new topic needs an index chunk, a big body a new segment: both need space first.
            var single = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("new", "x"u8.ToArray()).AsTask());
            Assert.Equal(LogEngineError.DiskFull, single.Code);
            var big = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync([new CommitLog("old", new byte[2 * 1024 * 1024]), new CommitLog("new", "y"u8.ToArray())]).AsTask());
            Assert.Equal(LogEngineError.DiskFull, big.Code);
            Assert.True(medium.ReservesRefused + 1 >= 2);
            var missing = await Assert.ThrowsAsync<LogEngineException>(() => engine.LengthAsync("new").AsTask());
            Assert.Equal(LogEngineError.InvalidTopic, missing.Code); // nothing of either call was written
            Assert.Equal(1, await engine.LengthAsync("old"));

            medium.DiskFull = false; // space is freed
            Assert.EndsWith("-0", await engine.CommitAsync("new", "x"u8.ToArray()));
            var ids = await engine.CommitAsync([new CommitLog("old", new byte[2 * 1024 * 1024]), new CommitLog("new", "y"u8.ToArray())]);
            Assert.EndsWith("-1", ids[0]);
        }
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal(["kept", ""], (await reopened.RangeAsync("old")).Select(e => e.Body.Length > 100 ? "" : e.BodyText));
        Assert.Equal(["x", "y"], (await reopened.RangeAsync("new")).Select(e => e.BodyText));
        Assert.Null(reopened.LastRecovery.CutAt);
    }

    [Fact]
    public async Task A_spare_segment_that_cannot_be_made_leaves_nothing_behind_and_later_rolls_work()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var body = new byte[64 * 1024];
        await using (var engine = LogEngine.OpenOn(medium, Options(Durability.Batched)))
        {
            await engine.CommitAsync("t", body); // the tail's own blocks are reserved now
            medium.RefuseSpareReserves = true;
            for (var i = 1; i < 20; i++) await engine.CommitAsync("t", body); // rolls once: the next spare fails
            await medium.SpareRefused.Task.WaitAsync(TimeSpan.FromSeconds(30));
            for (var i = 0; i < 20; i++) await engine.CommitAsync("t", body); // rolls again: made inline
            Assert.Equal(40, await engine.LengthAsync("t"));
        }
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal(40, await reopened.LengthAsync("t"));
    }

    [Fact]
    public void Storage_failures_get_the_codes_callers_can_act_on()
    {
        Assert.Equal(LogEngineError.DiskFull, Guard.Wrap(new IOException("full", 28), "x").Code);
        Assert.Equal(LogEngineError.DiskFull, Guard.Wrap(new IOException("quota", 122), "x").Code);
        Assert.Equal(LogEngineError.StoreFailed, Guard.Wrap(new IOException("eio", 5), "x").Code);
        Assert.Equal(LogEngineError.StoreFailed, Guard.Wrap(new UnauthorizedAccessException("denied"), "x").Code);
        Assert.Equal(LogEngineError.Internal, Guard.Wrap(new InvalidOperationException("bug"), "x").Code);
    }

    [Fact]
    public async Task Collecting_garbage_after_dispose_is_closed()
    {
        var engine = LogEngine.OpenInMemory();
        await engine.DisposeAsync();
        var error = await Assert.ThrowsAsync<LogEngineException>(() => engine.CollectGarbageAsync().AsTask());
        Assert.Equal(LogEngineError.Closed, error.Code);
    }
}
