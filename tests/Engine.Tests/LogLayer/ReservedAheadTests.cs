using Engine.Index;
using Engine.Log;
using Engine.Storage;
using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// Disk blocks of the log's tail and a topic's next index chunk are made ready in the background,
/// ahead of the writer, so that commits do not wait for the file system under the write lock.
/// </summary>
public sealed class ReservedAheadTests
{
    private static LogEngineOptions Options => new() { Durability = Durability.Batched, Workers = 0, CheckpointInterval = TimeSpan.FromHours(1) };

    [Fact]
    public async Task The_tail_keeps_its_blocks_reserved_a_window_ahead_of_the_writer()
    {
        using var dir = new TempDirectory();
        await using var engine = LogEngine.Open(dir.Path, Options);
        var batch = Enumerable.Range(0, 100).Select(_ => new CommitLog("t", new byte[1000])).ToArray();
        for (var round = 0; round < 60; round++) // about 6 MB: past the spare's first 4 MiB
        {
            await engine.CommitAsync(batch);
            await engine.Store.TailReservationAhead;
            var tail = engine.Store.TailSegment;
            var written = engine.Store.WrittenPosition - tail.BasePosition;
            Assert.True(tail.ReservedTo - written >= TailReservation.Window - batch.Length * 1100 || tail.ReservedTo == tail.Capacity,
                $"after {round + 1} batches the tail is written to {written:N0} but reserved only to {tail.ReservedTo:N0}");
        }
    }

    [Fact]
    public async Task Work_made_ahead_of_the_writer_runs_on_engine_threads_not_on_the_thread_pool()
    {
        // The writer may wait for it (a roll takes the spare segment, a topic its next chunk). On the
        // thread pool it starved when callers kept the pool busy with commits that never yield.
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using var engine = LogEngine.OpenOn(medium, Options with { SegmentSize = LogEngineOptions.MinSegmentSize });
        var batch = Enumerable.Range(0, 1000).Select(_ => new CommitLog("t", new byte[8])).ToArray();
        for (var committed = 0; committed < TopicIndex.SlotsPerChunk - NextChunk.StartWhenSlotsLeft + 1000; committed += batch.Length)
            await engine.CommitAsync(batch);
        await engine.Store.GetTopic("t").Index.NextChunkMaking!;
        await engine.Store.TailReservationAhead;

        var calls = medium.Calls.ToList();
        var spares = calls.Where(c => c.What.StartsWith("segment ", StringComparison.Ordinal)).Skip(1).ToList(); // the first is made as the store opens
        var nextChunks = calls.Where(c => c.What.EndsWith("/1", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(spares);
        Assert.NotEmpty(nextChunks);
        Assert.All(spares.Concat(nextChunks), c => Assert.Equal("engine-ahead", c.Thread));
    }

    [Fact]
    public async Task Checkpoints_due_are_written_on_a_thread_of_their_own_not_on_the_thread_pool()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using var engine = LogEngine.OpenOn(medium, Options with { CheckpointBytes = 64 * 1024 });
        await engine.CommitAsync([.. Enumerable.Range(0, 1000).Select(_ => new CommitLog("t", new byte[100]))]); // past CheckpointBytes

        await medium.CheckpointWritten.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var checkpoint = medium.Calls.First(c => c.What.StartsWith("checkpoint ", StringComparison.Ordinal));
        Assert.Equal(Engine.Checkpoints.Checkpointer.ThreadName, checkpoint.Thread);
    }

    [Fact]
    public async Task Work_made_ahead_hands_back_its_result_or_its_failure()
    {
        Assert.True(await AheadWork.Start(() => AheadWork.IsAheadThread));
        var failed = AheadWork.Start(() => throw new IOException("injected"));
        Assert.Equal("injected", (await Assert.ThrowsAsync<IOException>(() => failed)).Message);
    }

    [Fact]
    public async Task A_full_disk_met_ahead_fails_no_commit_and_the_writer_reports_it_when_it_gets_there()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using var engine = LogEngine.OpenOn(medium, Options);
        var batch = Enumerable.Range(0, 100).Select(_ => new CommitLog("t", new byte[1000])).ToArray();
        await engine.CommitAsync(batch);
        medium.DiskFull = true; // refuses every reservation, ahead or inline
        LogEngineException? refused = null;
        var committed = 1;
        for (var round = 0; round < 200 && refused is null; round++)
        {
            try
            {
                await engine.CommitAsync(batch);
                committed++;
            }
            catch (LogEngineException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(LogEngineError.DiskFull, refused.Code);
        Assert.Equal(committed * batch.Length, await engine.LengthAsync("t")); // the refused batch left nothing
        medium.DiskFull = false;
        await engine.CommitAsync(batch); // writes work again once there is space
        Assert.Equal((committed + 1) * batch.Length, await engine.LengthAsync("t"));
    }

    [Fact]
    public async Task A_topic_nearing_the_end_of_its_index_chunk_gets_the_next_one_made_ahead_and_uses_it()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var engine = LogEngine.OpenOn(medium, Options);
        var batch = Enumerable.Range(0, 1000).Select(_ => new CommitLog("t", new byte[8])).ToArray();
        var start = TopicIndex.SlotsPerChunk - NextChunk.StartWhenSlotsLeft;
        for (var committed = 0; committed < start; committed += batch.Length) await engine.CommitAsync(batch);
        Assert.True(await engine.LengthAsync("t") > start);
        var topic = engine.Store.GetTopic("t");
        Assert.NotNull(topic.Index.NextChunkMaking);
        await topic.Index.NextChunkMaking!;
        Assert.Contains((topic.Id, 1u), medium.ListIndexChunks()); // made before any record needs it

        while (await engine.LengthAsync("t") < TopicIndex.SlotsPerChunk + 5000) await engine.CommitAsync(batch);
        var length = await engine.LengthAsync("t");
        var tail = await engine.RangeAsync("t", new RangeOptions { Start = $":{TopicIndex.SlotsPerChunk - 10}", Limit = 20 });
        Assert.Equal(Enumerable.Range(TopicIndex.SlotsPerChunk - 10, 20).Select(i => (long)i), tail.Select(e => long.Parse(e.Id[(e.Id.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        await engine.DisposeAsync();

        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal(length, await reopened.LengthAsync("t"));
        var again = await reopened.RangeAsync("t", new RangeOptions { Start = $":{TopicIndex.SlotsPerChunk - 10}", Limit = 20 });
        Assert.Equal(tail.Select(e => e.Id), again.Select(e => e.Id));
    }
}
