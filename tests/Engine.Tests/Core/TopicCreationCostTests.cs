using Engine.Index;
using Engine.Storage;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// What creating topics costs the file system, counted rather than timed: one commit to N new
/// topics opens N index chunk files and reserves about a page of disk for each, not 64 KiB; a
/// topic's later records cost no file operation until its reservation runs out. (One commit of
/// 10,000 records to 10,000 new topics took 25 s; bench W9 measures it.)
/// </summary>
public sealed class TopicCreationCostTests
{
    private const int Topics = 2_000;

    /// <summary>A page of slots, plus the chunk header.</summary>
    private const long BytesPerSmallTopic = 4096 + IndexChunkHeader.Length;

    private static CommitLog[] OneRecordEach(int topics, string prefix = "topic") =>
        [.. Enumerable.Range(0, topics).Select(i => new CommitLog($"{prefix}-{i}", new byte[] { 1 }))];

    [Fact]
    public void One_commit_to_N_new_topics_opens_N_index_files_and_reserves_a_page_for_each()
    {
        var medium = new CountingMedium(new MemoryMedium());
        using var store = Store.Open(medium, new LogEngineOptions());

        Assert.Equal(Topics, store.Commit(OneRecordEach(Topics)).Ids().Count);

        Assert.Equal(Topics, medium.IndexChunksOpened);
        Assert.True(medium.BytesReserved <= Topics * BytesPerSmallTopic,
            $"{Topics} one-record topics reserved {medium.BytesReserved:N0} bytes of index, more than {Topics * BytesPerSmallTopic:N0}");
        Assert.True(medium.Reserves <= 2 * Topics, $"{medium.Reserves} reservations for {Topics} new topics");
    }

    [Fact]
    public void More_records_to_existing_topics_touch_no_index_file()
    {
        var medium = new CountingMedium(new MemoryMedium());
        using var store = Store.Open(medium, new LogEngineOptions());
        store.Commit(OneRecordEach(Topics));
        var (opened, reserves) = (medium.IndexChunksOpened, medium.Reserves);

        for (var round = 0; round < 3; round++) store.Commit(OneRecordEach(Topics));

        Assert.Equal((opened, reserves), (medium.IndexChunksOpened, medium.Reserves));
    }

    [Fact]
    public void A_topic_that_grows_reserves_in_steps_that_double_up_to_64_KiB()
    {
        // 8,192 + 256 records: after the header, reservations of 256, 256, 512, 1024, 2048 slots,
        // then 4096 (the cap) twice. The header and the first page come with the first record.
        var medium = new CountingMedium(new MemoryMedium());
        using var store = Store.Open(medium, new LogEngineOptions());
        var reserves = new List<long>();
        for (var i = 0; i < 8192 + 256; i++)
        {
            var before = medium.BytesReserved;
            store.CommitOne("grows", [1]);
            if (medium.BytesReserved != before) reserves.Add(medium.BytesReserved - before);
        }

        Assert.Equal([IndexChunkHeader.Length + 256 * 16, 256 * 16, 512 * 16, 1024 * 16, 2048 * 16, 4096 * 16, 4096 * 16], reserves);
    }

    [Fact]
    public async Task Topics_created_in_one_commit_are_all_readable_after_reopening()
    {
        using var dir = new TempDirectory();
        var logs = OneRecordEach(500);
        await using (var engine = LogEngine.Open(dir.Path))
            await engine.CommitAsync(logs);

        await using var reopened = LogEngine.Open(dir.Path);
        foreach (var log in logs) Assert.Equal(1, await reopened.LengthAsync(log.Topic));
        Assert.Equal([1], (await reopened.RangeAsync(logs[^1].Topic))[0].Body.ToArray());
    }
}
