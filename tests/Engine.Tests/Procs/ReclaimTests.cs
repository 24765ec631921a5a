using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// ReclaimProcAsync gives the claim back and returns the range given back; after MaxReclaims
/// reclaims without an ack the proc is disabled (Disable) or goes on (Continue); -1 = unlimited.
/// </summary>
public sealed class ReclaimTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_returns_the_single_id_given_back(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        Assert.Equal(ids[0], await store.Engine.ReclaimProcAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_returns_first_dot_dot_last_and_the_next_claim_hands_out_the_same_records(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        var options = new ProcOptions { Name = "p", Count = 3 };
        Assert.Equal(ids[0..3], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        Assert.Equal($"{ids[0]}..{ids[2]}", await store.Engine.ReclaimProcAsync("p"));

        var again = await store.Engine.ProcAsync("t", options);
        Assert.Equal(ids[0..3], ProcStore.IdsOf(again));
        Assert.Equal(["t 0", "t 1", "t 2"], again.Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_then_claim_with_a_smaller_count_starts_at_the_same_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        var options = new ProcOptions { Name = "p", Count = 3 };
        Assert.Equal(3, (await store.Engine.ProcAsync("t", options)).Count);
        await store.Engine.ReclaimProcAsync("p");

        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options with { Count = 1 })));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_after_acks_gives_back_only_the_open_claim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        var options = new ProcOptions { Name = "p", Count = 2 };
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
        await store.Engine.AckAsync("p");
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);

        Assert.Equal($"{ids[2]}..{ids[3]}", await store.Engine.ReclaimProcAsync("p"));
        Assert.Equal(ids[2..4], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_without_a_claim_is_nothing_to_reclaim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToReclaim, async () => await store.Engine.ReclaimProcAsync("p"));
        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Reclaim_after_an_ack_or_a_reclaim_is_nothing_to_reclaim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");
        await ProcStore.ThrowsAsync(LogEngineError.NothingToReclaim, async () => await store.Engine.ReclaimProcAsync("p"));

        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        await ProcStore.ThrowsAsync(LogEngineError.NothingToReclaim, async () => await store.Engine.ReclaimProcAsync("p"));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Each_reclaim_counts(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 10 };

        for (var i = 1; i <= 4; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.ReclaimProcAsync("p");
            Assert.Equal(i, (await store.Engine.InspectProcAsync("p")).Reclaims);
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task With_disable_the_proc_is_disabled_after_max_reclaims_reclaims_without_an_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", MaxReclaims = 3, OnMaxReclaimsReached = OnMaxReclaims.Disable };

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
            Assert.Equal(ids[0], await store.Engine.ReclaimProcAsync("p"));
            Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("p")).Status);
        }
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(ids[0], await store.Engine.ReclaimProcAsync("p"));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, state.Status);
        Assert.Equal(3, state.Reclaims);
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Max_reclaims_of_one_disables_on_the_first_reclaim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 1 };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        await store.Engine.ReclaimProcAsync("p");

        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task With_continue_the_proc_goes_on_past_max_reclaims(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2, OnMaxReclaimsReached = OnMaxReclaims.Continue };

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
            Assert.Equal(ids[0], await store.Engine.ReclaimProcAsync("p"));
        }

        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("p")).Status);
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Max_reclaims_minus_one_never_disables(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = -1, OnMaxReclaimsReached = OnMaxReclaims.Disable };

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
            await store.Engine.ReclaimProcAsync("p");
        }

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ProcStatus.Active, state.Status);
        Assert.Equal(-1, state.MaxReclaims);
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Automatic_reclaims_count_toward_max_reclaims(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2, ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        store.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);

        store.Advance(TimeSpan.FromSeconds(6));
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", options));
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, state.Status);
        Assert.Equal(2, state.Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Manual_and_automatic_reclaims_add_up(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2, ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Single(await store.Engine.ProcAsync("t", options));

        store.Advance(TimeSpan.FromSeconds(6));

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", options));
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);
    }
}
