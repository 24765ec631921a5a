using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// AckCommitAsync acks and commits in one atomic step: it returns the acked range and the ids it
/// committed; an empty list is an ack; without an open claim nothing is acked and nothing committed.
/// </summary>
public sealed class AckCommitTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_returns_the_acked_range_and_the_committed_ids(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        Assert.Equal(2, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 2 })).Count);
        store.AdvanceMs(10);

        var result = await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray()), new CommitLog("out", "y"u8.ToArray())]);

        Assert.Equal($"{ids[0]}..{ids[1]}", result.AckedRange);
        Assert.Equal([store.IdNow(0), store.IdNow(1)], result.CommittedIds);
        var written = await store.Engine.RangeAsync("out");
        Assert.Equal(result.CommittedIds, ProcStore.IdsOf(written));
        Assert.Equal(["x", "y"], written.Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_moves_the_proc_on(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        var result = await store.Engine.AckCommitAsync("p", [CommitLog.Json("out", new { N = 1 })]);

        Assert.Equal(ids[0], result.AckedRange);
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ids[0], state.LastAckedRange);
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_with_an_empty_list_is_just_an_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        var result = await store.Engine.AckCommitAsync("p", []);

        Assert.Equal(ids[0], result.AckedRange);
        Assert.Empty(result.CommittedIds);
        Assert.Equal(2, await store.Engine.LengthAsync("t"));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_without_a_claim_is_nothing_to_ack_and_creates_no_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck,
            async () => await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray())]));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.RangeAsync("out"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_without_a_claim_leaves_an_existing_target_unchanged(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var existing = await store.CommitAsync("out", 2);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck,
            async () => await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray()), new CommitLog("other", "y"u8.ToArray())]));

        Assert.Equal(existing, ProcStore.IdsOf(await store.Engine.RangeAsync("out")));
        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("other"));
        Assert.Equal($"{ProcStore.StartMs}-2", await store.Engine.CommitAsync("out", "z"u8.ToArray()));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_commits_to_several_topics_with_one_timestamp(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        await store.CommitAsync("b", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        store.AdvanceMs(20);

        var result = await store.Engine.AckCommitAsync("p",
        [
            new CommitLog("a", "a0"u8.ToArray()),
            new CommitLog("b", "b3"u8.ToArray()),
            new CommitLog("a", "a1"u8.ToArray()),
        ]);

        Assert.Equal([store.IdNow(0), store.IdNow(3), store.IdNow(1)], result.CommittedIds);
        Assert.Equal(["a0", "a1"], (await store.Engine.RangeAsync("a")).Select(e => e.BodyText));
        Assert.Equal("b3", (await store.Engine.RangeAsync("b", new RangeOptions { Start = ":3" }))[0].BodyText);
        Assert.Equal(4, await store.Engine.LengthAsync("b"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_may_commit_to_the_topic_the_proc_reads(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        var result = await store.Engine.AckCommitAsync("p", [new CommitLog("t", "follow-up"u8.ToArray())]);

        Assert.Equal(ids[0], result.AckedRange);
        var next = await store.Engine.ProcAsync("t", options);
        Assert.Equal(result.CommittedIds, ProcStore.IdsOf(next));
        Assert.Equal("follow-up", next[0].BodyText);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_resets_reclaims(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Single(await store.Engine.ProcAsync("t", options));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);

        await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray())]);

        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }
}
