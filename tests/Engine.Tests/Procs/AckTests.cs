using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// AckAsync returns the acked id, or "first..last" when the claim held several; NothingToAck
/// without an open claim; an ack resets Reclaims; any caller may ack.
/// </summary>
public sealed class AckTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_of_a_single_record_claim_returns_its_id(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_of_a_multi_record_claim_returns_first_dot_dot_last(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        Assert.Equal(3, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 3 })).Count);

        Assert.Equal($"{ids[0]}..{ids[2]}", await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_range_is_what_was_claimed_not_what_was_asked_for(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p", Count = 2 };
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal($"{ids[0]}..{ids[1]}", await store.Engine.AckAsync("p"));

        Assert.Equal(ids[2..3], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(ids[2], await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_range_spans_records_of_different_milliseconds(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var first = await store.Engine.CommitAsync("t", "a"u8.ToArray());
        store.AdvanceMs(7);
        var second = await store.Engine.CommitAsync("t", "b"u8.ToArray());
        Assert.Equal($"{ProcStore.StartMs}-0", first);
        Assert.Equal($"{ProcStore.StartMs + 7}-1", second);
        Assert.Equal(2, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 2 })).Count);

        Assert.Equal($"{ProcStore.StartMs}-0..{ProcStore.StartMs + 7}-1", await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_without_any_claim_yet_is_nothing_to_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Acking_twice_is_nothing_to_ack_the_second_time_and_does_not_skip_records(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));

        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_after_a_reclaim_is_nothing_to_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));

        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_resets_reclaims(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        for (var i = 0; i < 3; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.ReclaimProcAsync("p");
        }
        Assert.Equal(3, (await store.Engine.InspectProcAsync("p")).Reclaims);

        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");

        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reset_by_ack_lets_a_proc_be_reclaimed_max_reclaims_times_again(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2 };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");

        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");

        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("p")).Status);
        Assert.Single(await store.Engine.ProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Any_caller_may_ack_a_claim_made_by_another(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        var claimed = await Task.Run(async () => await store.Engine.ProcAsync("t", options));
        Assert.Equal([ids[0]], ProcStore.IdsOf(claimed));

        var acked = await Task.Run(async () => await store.Engine.AckAsync("p"));

        Assert.Equal(ids[0], acked);
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_of_one_proc_does_not_ack_another_on_the_same_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "a" }));
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "b" }));

        await store.Engine.AckAsync("a");

        Assert.Equal("", (await store.Engine.InspectProcAsync("b")).LastAckedRange);
        Assert.Equal(ids[0], await store.Engine.AckAsync("b"));
    }
}
