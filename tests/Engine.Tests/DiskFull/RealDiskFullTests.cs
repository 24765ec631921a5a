namespace Engine.Tests.DiskFull;

/// <summary>
/// A real full disk (a small tmpfs), not an injected one: commits fail with DiskFull and write
/// nothing, every acknowledged record reads back, freeing space (the GC) makes commits work
/// again, and a store opens on a disk with no space left at all.
/// </summary>
public sealed class RealDiskFullTests
{
    private static LogEngineOptions Options() => new()
    {
        Durability = Durability.Always,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        Gc = new GcOptions { MinPruneTime = TimeSpan.Zero, Interval = TimeSpan.FromHours(1) },
        CheckpointInterval = TimeSpan.FromHours(1),
        Workers = 0,
    };

    private static byte[] Body(int n, int size)
    {
        var body = new byte[size];
        new Random(n).NextBytes(body);
        BitConverter.TryWriteBytes(body, n);
        return body;
    }

    [SkippableFact]
    public async Task Filling_the_disk_gives_DiskFull_keeps_every_acknowledged_record_and_writes_work_again_once_the_GC_frees_space()
    {
        using var mount = TmpfsMount.TryMount(8, out var whyNot);
        Skip.If(mount is null, whyNot);
        var path = Path.Combine(mount!.Path, "store");
        var acknowledged = new List<(string Id, byte[] Body)>();
        await using (var engine = LogEngine.Open(path, Options()))
        {
            LogEngineException? full = null;
            for (var n = 0; full is null && n < 10_000; n++)
            {
                var body = Body(n, 16 * 1024);
                try
                {
                    acknowledged.Add((await engine.CommitAsync("fill", body), body));
                }
                catch (LogEngineException e)
                {
                    full = e;
                }
            }
            Assert.NotNull(full);
            Assert.Equal(LogEngineError.DiskFull, full.Code);
            Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} records fitted on 8 MiB");

            // Nothing of the failed call was written, everything before it reads back.
            var read = await engine.RangeAsync("fill");
            Assert.Equal(acknowledged.Select(a => a.Id), read.Select(e => e.Id));
            Assert.All(read.Zip(acknowledged), p => Assert.True(p.First.Body.Span.SequenceEqual(p.Second.Body)));
            var again = await Assert.ThrowsAsync<LogEngineException>(() => engine.CommitAsync("fill", Body(-1, 16 * 1024)).AsTask());
            Assert.Equal(LogEngineError.DiskFull, again.Code);

            // Free space: the GC prunes every record (no proc holds them) and deletes their segments.
            var report = await engine.CollectGarbageAsync();
            Assert.True(report.SegmentsDeleted > 0, "the GC freed no segment");
            for (var n = 0; n < 100; n++) await engine.CommitAsync("after", Body(n, 16 * 1024));
            Assert.Equal(100, await engine.LengthAsync("after"));
        }
        await using var reopened = LogEngine.Open(path, Options());
        Assert.Equal(100, await reopened.LengthAsync("after"));
    }

    [SkippableFact]
    public async Task A_store_opens_on_a_disk_with_no_space_left_reads_go_on_and_writes_resume_once_space_is_freed()
    {
        using var mount = TmpfsMount.TryMount(8, out var whyNot);
        Skip.If(mount is null, whyNot);
        var path = Path.Combine(mount!.Path, "store");
        var ids = new List<string>();
        await using (var engine = LogEngine.Open(path, Options()))
            for (var n = 0; n < 50; n++) ids.Add(await engine.CommitAsync("t", Body(n, 4096)));

        var filler = mount.Fill();
        await using (var engine = LogEngine.Open(path, Options()))
        {
            Assert.Equal(ids, (await engine.RangeAsync("t")).Select(e => e.Id));
            // Commits fit in the blocks the tail segment reserved; somewhere before 8 MiB more they stop.
            LogEngineException? full = null;
            for (var n = 0; full is null && n < 2_000; n++)
            {
                try
                {
                    ids.Add(await engine.CommitAsync("t", Body(n, 4096)));
                }
                catch (LogEngineException e)
                {
                    full = e;
                }
            }
            Assert.Equal(LogEngineError.DiskFull, full?.Code);

            File.Delete(filler);
            ids.Add(await engine.CommitAsync("t", Body(-2, 4096)));
            Assert.Equal(ids, (await engine.RangeAsync("t")).Select(e => e.Id));
        }
        await using var reopened = LogEngine.Open(path, Options());
        Assert.Equal(ids, (await reopened.RangeAsync("t")).Select(e => e.Id));
    }
}
