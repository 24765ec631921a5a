using Engine.Index;
using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// A batch's index slots are written with one write call, not through the chunk's mapping (whose
/// dirty pages every checkpoint's fsync must write-protect again, interrupting every core); a
/// single commit's slot is still written in place. A failed slot write fails the commit and
/// poisons the store, and nothing of that commit is read back, then or after reopening.
/// </summary>
public sealed class IndexSlotWriteTests
{
    private static LogEngineOptions Options => new() { Durability = Durability.Batched, Workers = 0, CheckpointInterval = TimeSpan.FromHours(1) };

    [Fact]
    public async Task A_batch_writes_its_slots_in_one_call_and_a_single_commit_in_place()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using var engine = LogEngine.OpenOn(medium, Options);
        await engine.CommitAsync("t", "first"u8.ToArray()); // makes the topic and its chunk

        for (var i = 0; i < 10; i++) await engine.CommitAsync("t", "single"u8.ToArray());
        Assert.Equal(0, medium.IndexWrites);

        await engine.CommitAsync([.. Enumerable.Range(0, TopicIndex.WriteCallSlots).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        Assert.Equal(1, medium.IndexWrites);

        var read = await engine.RangeAsync("t", new RangeOptions { Start = ":11" });
        Assert.Equal(Enumerable.Range(0, TopicIndex.WriteCallSlots).Select(i => (byte)i), read.Select(e => e.Body.Span[0]));
        Assert.Equal(Enumerable.Range(11, TopicIndex.WriteCallSlots).Select(i => (long)i), read.Select(e => long.Parse(e.Id[(e.Id.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_failed_slot_write_fails_the_commit_poisons_the_store_and_leaves_nothing_of_it()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var engine = LogEngine.OpenOn(medium, Options);
        await engine.CommitAsync([.. Enumerable.Range(0, 100).Select(_ => new CommitLog("t", "kept"u8.ToArray()))]);
        medium.FailIndexWrites = true;

        var failed = await Assert.ThrowsAsync<LogEngineException>(async () =>
            await engine.CommitAsync([.. Enumerable.Range(0, 100).Select(_ => new CommitLog("t", "lost"u8.ToArray()))]));

        Assert.Equal(LogEngineError.StoreFailed, failed.Code);
        Assert.Equal(100, await engine.LengthAsync("t")); // not published
        Assert.Equal(LogEngineError.StoreFailed, (await Assert.ThrowsAsync<LogEngineException>(async () => await engine.CommitAsync("t", "x"u8.ToArray()))).Code);
        await engine.DisposeAsync();

        await using var reopened = LogEngine.Open(dir.Path, Options);
        var read = await reopened.RangeAsync("t");
        Assert.Equal(100, read.Count);
        Assert.All(read, e => Assert.Equal("kept", e.BodyText));
        await reopened.CommitAsync([.. Enumerable.Range(0, 100).Select(_ => new CommitLog("t", "after"u8.ToArray()))]);
        Assert.Equal(200, await reopened.LengthAsync("t"));
    }
}
