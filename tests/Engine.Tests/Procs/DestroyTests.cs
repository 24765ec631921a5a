using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>DestroyProcAsync returns the last state and forgets the proc; the name then starts anew.</summary>
public sealed class DestroyTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Destroy_returns_the_last_state(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", MaxReclaims = 4 }));
        await store.Engine.AckAsync("p");
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        var before = await store.Engine.InspectProcAsync("p");

        var destroyed = await store.Engine.DestroyProcAsync("p");

        Assert.Equal(before, destroyed);
        Assert.Equal("p", destroyed.Name);
        Assert.Equal("t", destroyed.Topic);
        Assert.Equal(ids[0], destroyed.LastAckedRange);
        Assert.Equal(ids[1], destroyed.LastClaimedRange);
        Assert.Equal(4, destroyed.MaxReclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_destroyed_proc_is_not_found(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await store.Engine.DestroyProcAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("p"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.AckAsync("p"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.ReclaimProcAsync("p"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.DestroyProcAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Using_the_name_again_starts_anew_from_its_offset(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p" };
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.AckAsync("p");
        }
        await store.Engine.DestroyProcAsync("p");
        store.AdvanceMs(500);

        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal("", state.LastAckedRange);
        Assert.Equal("", state.PreviousClaimedRange);
        Assert.Null(state.LastAckedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs + 500), state.CreatedAt);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Recreating_takes_the_new_options(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", MaxReclaims = 1 }));
        await store.Engine.DestroyProcAsync("p");

        var recreated = new ProcOptions { Name = "p", Offset = ":1", MaxReclaims = 7, OnMaxReclaimsReached = OnMaxReclaims.Continue };
        Assert.Equal([ids[2]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", recreated)));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(":1", state.Offset);
        Assert.Equal(7, state.MaxReclaims);
        Assert.Equal(OnMaxReclaims.Continue, state.OnMaxReclaimsReached);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Destroying_a_proc_with_an_open_claim_forgets_the_claim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", Count = 2, ReclaimTimeout = TimeSpan.FromHours(1) };
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);

        await store.Engine.DestroyProcAsync("p");

        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_destroyed_name_may_be_used_on_another_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("a", 1);
        var onB = await store.CommitAsync("b", 1);
        Assert.Single(await store.Engine.ProcAsync("a", new ProcOptions { Name = "p" }));

        await store.Engine.DestroyProcAsync("p");

        Assert.Equal(onB, ProcStore.IdsOf(await store.Engine.ProcAsync("b", new ProcOptions { Name = "p" })));
        Assert.Equal("b", (await store.Engine.InspectProcAsync("p")).Topic);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_disabled_proc_can_be_destroyed_and_recreated_active(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.DisableProcAsync("p");

        Assert.Equal(ProcStatus.Disabled, (await store.Engine.DestroyProcAsync("p")).Status);

        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" })));
        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("p")).Status);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Destroying_one_proc_leaves_another_on_the_same_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "a" }));
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "b" }));
        await store.Engine.AckAsync("b");

        await store.Engine.DestroyProcAsync("a");

        Assert.Equal(ids[0], (await store.Engine.InspectProcAsync("b")).LastAckedRange);
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "b" })));
    }
}
