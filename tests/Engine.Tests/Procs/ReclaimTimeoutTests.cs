using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>A claim unacked past ReclaimTimeout is reclaimed automatically, and that reclaim counts.</summary>
public sealed class ReclaimTimeoutTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_claim_past_its_timeout_is_handed_out_again(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        var options = new ProcOptions { Name = "p", Count = 2, ReclaimTimeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        store.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(2));

        var again = await store.Engine.ProcAsync("t", options);
        Assert.Equal(ids[0..2], ProcStore.IdsOf(again));
        Assert.Equal(["t 0", "t 1"], again.Select(e => e.BodyText));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task The_re_delivered_claim_can_be_acked_and_the_proc_moves_on(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));

        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Each_timed_out_claim_counts_once(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = -1, ReclaimTimeout = TimeSpan.FromSeconds(5) };

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
            store.Advance(TimeSpan.FromSeconds(6));
        }
        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        Assert.Equal(3, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_claim_past_its_timeout_is_reclaimed_without_another_proc_call(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) }));

        store.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_after_the_claim_timed_out_is_nothing_to_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        store.Advance(TimeSpan.FromSeconds(6));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task The_timeout_runs_from_the_latest_claim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(10) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(8));
        await store.Engine.AckAsync("p");
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        store.Advance(TimeSpan.FromSeconds(8));

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
        Assert.Equal(ids[1], await store.Engine.AckAsync("p"));
    }
}
