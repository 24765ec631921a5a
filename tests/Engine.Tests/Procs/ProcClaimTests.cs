using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// ProcAsync: created on first use, claims the next Count records after the last ack, and returns
/// empty when there is nothing new or a claim is still open.
/// </summary>
public sealed class ProcClaimTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task First_call_creates_the_proc_and_claims_the_first_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("p"));

        var claimed = await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" });

        Assert.Equal([ids[0]], ProcStore.IdsOf(claimed));
        Assert.Equal("t 0", claimed[0].BodyText);
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal("p", state.Name);
        Assert.Equal("t", state.Topic);
        Assert.Equal(ProcStatus.Active, state.Status);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Each_call_after_an_ack_claims_the_next_records_in_order(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        var options = new ProcOptions { Name = "p" };

        foreach (var id in ids)
        {
            var claimed = await store.Engine.ProcAsync("t", options);
            Assert.Equal([id], ProcStore.IdsOf(claimed));
            Assert.Equal(id, await store.Engine.AckAsync("p"));
        }
        Assert.Empty(await store.Engine.ProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Returns_empty_when_everything_is_acked_and_claims_records_committed_later(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var first = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p" };
        Assert.Equal(first, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        await store.Engine.AckAsync("p");

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        Assert.Empty(await store.Engine.ProcAsync("t", options));

        store.AdvanceMs(5);
        var later = await store.Engine.CommitAsync("t", "new"u8.ToArray());
        Assert.Equal($"{store.NowMs}-1", later);
        Assert.Equal([later], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task On_a_topic_never_committed_to_the_proc_is_created_and_returns_empty(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var options = new ProcOptions { Name = "p" };

        Assert.Empty(await store.Engine.ProcAsync("fresh", options));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal("fresh", state.Topic);
        Assert.Equal(ProcStatus.Active, state.Status);
        Assert.Equal("", state.LastClaimedRange);
        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));

        var id = await store.Engine.CommitAsync("fresh", "x"u8.ToArray());
        Assert.Equal([id], ProcStore.IdsOf(await store.Engine.ProcAsync("fresh", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Returns_empty_while_a_claim_is_open_and_not_timed_out(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(10) };
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await store.Engine.ProcAsync("t", options with { Count = 3 }));

        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Count_applies_to_each_call(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 10);
        var options = new ProcOptions { Name = "p", Count = 2 };

        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        await store.Engine.AckAsync("p");
        Assert.Equal(ids[2..5], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options with { Count = 3 })));
        await store.Engine.AckAsync("p");
        Assert.Equal(ids[5..6], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options with { Count = 1 })));
        await store.Engine.AckAsync("p");
        Assert.Equal(ids[6..10], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options with { Count = 100 })));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_count_larger_than_what_is_left_claims_what_is_left(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);

        var claimed = await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 5 });

        Assert.Equal(ids, ProcStore.IdsOf(claimed));
        Assert.Equal(["t 0", "t 1", "t 2"], claimed.Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Later_calls_do_not_change_max_reclaims_timeout_policy_or_offset(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var created = new ProcOptions
        {
            Name = "p",
            Offset = ":0",
            MaxReclaims = 3,
            ReclaimTimeout = TimeSpan.FromSeconds(20),
            OnMaxReclaimsReached = OnMaxReclaims.Continue,
        };
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", created)));
        await store.Engine.AckAsync("p");

        var other = new ProcOptions
        {
            Name = "p",
            Offset = ">",
            MaxReclaims = 7,
            ReclaimTimeout = TimeSpan.FromSeconds(2),
            OnMaxReclaimsReached = OnMaxReclaims.Disable,
        };
        Assert.Equal([ids[2]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", other)));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(":0", state.Offset);
        Assert.Equal(3, state.MaxReclaims);
        Assert.Equal(TimeSpan.FromSeconds(20), state.ReclaimTimeout);
        Assert.Equal(OnMaxReclaims.Continue, state.OnMaxReclaimsReached);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_later_call_with_a_larger_max_reclaims_does_not_postpone_disabling(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", MaxReclaims = 1 }));
        await store.Engine.ReclaimProcAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled,
            async () => await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", MaxReclaims = 50 }));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).MaxReclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_later_call_with_a_longer_timeout_does_not_postpone_the_automatic_reclaim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) })));

        store.Advance(TimeSpan.FromSeconds(6));
        var again = await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromMinutes(10) });

        Assert.Equal([ids[0]], ProcStore.IdsOf(again));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Same_name_on_another_topic_is_proc_name_not_unique(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("a", 1);
        await store.CommitAsync("b", 1);
        Assert.Single(await store.Engine.ProcAsync("a", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.ProcNameNotUnique,
            async () => await store.Engine.ProcAsync("b", new ProcOptions { Name = "p" }));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNameNotUnique,
            async () => await store.Engine.ProcAsync("never-committed", new ProcOptions { Name = "p" }));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal("a", state.Topic);
        Assert.NotEqual("", state.LastClaimedRange);
    }
}
