using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>InspectProcAsync reports every ProcState field, through a sequence of claims, acks and reclaims.</summary>
public sealed class InspectTests
{
    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_new_proc_has_the_default_options_and_no_history(string kind)
    {
        await using var store = ProcStore.Open(kind);
        store.AdvanceMs(123);

        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal("p", state.Name);
        Assert.Equal("t", state.Topic);
        Assert.Equal(ProcStatus.Active, state.Status);
        Assert.Equal(">", state.Offset);
        Assert.Equal(At(ProcStore.StartMs + 123), state.CreatedAt);
        Assert.Equal("", state.LastClaimedRange);
        Assert.Equal("", state.PreviousClaimedRange);
        Assert.Equal("", state.LastAckedRange);
        Assert.Null(state.LastClaimedAt);
        Assert.Null(state.LastAckedAt);
        Assert.Equal(0, state.Reclaims);
        Assert.Equal(10, state.MaxReclaims);
        Assert.Equal(TimeSpan.FromSeconds(10), state.ReclaimTimeout);
        Assert.Equal(OnMaxReclaims.Disable, state.OnMaxReclaimsReached);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Fields_follow_claim_ack_claim_reclaim_claim_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        var options = new ProcOptions
        {
            Name = "p",
            Count = 2,
            MaxReclaims = 5,
            ReclaimTimeout = TimeSpan.FromSeconds(30),
            OnMaxReclaimsReached = OnMaxReclaims.Continue,
        };
        var t1 = ProcStore.StartMs + 100;
        store.AdvanceMs(100);

        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
        var s = await store.Engine.InspectProcAsync("p");
        Assert.Equal("p", s.Name);
        Assert.Equal("t", s.Topic);
        Assert.Equal(ProcStatus.Active, s.Status);
        Assert.Equal(">", s.Offset);
        Assert.Equal(At(t1), s.CreatedAt);
        Assert.Equal($"{ids[0]}..{ids[1]}", s.LastClaimedRange);
        Assert.Equal("", s.PreviousClaimedRange);
        Assert.Equal("", s.LastAckedRange);
        Assert.Equal(At(t1), s.LastClaimedAt);
        Assert.Null(s.LastAckedAt);
        Assert.Equal(0, s.Reclaims);
        Assert.Equal(5, s.MaxReclaims);
        Assert.Equal(TimeSpan.FromSeconds(30), s.ReclaimTimeout);
        Assert.Equal(OnMaxReclaims.Continue, s.OnMaxReclaimsReached);

        store.AdvanceMs(50);
        var t2 = t1 + 50;
        await store.Engine.AckAsync("p");
        s = await store.Engine.InspectProcAsync("p");
        Assert.Equal($"{ids[0]}..{ids[1]}", s.LastAckedRange);
        Assert.Equal(At(t2), s.LastAckedAt);
        Assert.Equal($"{ids[0]}..{ids[1]}", s.LastClaimedRange);
        Assert.Equal(At(t1), s.LastClaimedAt);
        Assert.Equal(At(t1), s.CreatedAt);

        store.AdvanceMs(50);
        var t3 = t2 + 50;
        Assert.Single(await store.Engine.ProcAsync("t", options with { Count = 1 }));
        s = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ids[2], s.LastClaimedRange);
        Assert.Equal($"{ids[0]}..{ids[1]}", s.PreviousClaimedRange);
        Assert.Equal($"{ids[0]}..{ids[1]}", s.LastAckedRange);
        Assert.Equal(At(t3), s.LastClaimedAt);
        Assert.Equal(At(t2), s.LastAckedAt);

        store.AdvanceMs(50);
        Assert.Equal(ids[2], await store.Engine.ReclaimProcAsync("p"));
        s = await store.Engine.InspectProcAsync("p");
        Assert.Equal(1, s.Reclaims);
        Assert.Equal($"{ids[0]}..{ids[1]}", s.LastAckedRange);
        Assert.Equal(At(t2), s.LastAckedAt);
        Assert.Equal(ProcStatus.Active, s.Status);

        store.AdvanceMs(50);
        var t5 = t3 + 100;
        Assert.Equal(ids[2..4], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        s = await store.Engine.InspectProcAsync("p");
        Assert.Equal($"{ids[2]}..{ids[3]}", s.LastClaimedRange);
        Assert.Equal(At(t5), s.LastClaimedAt);
        Assert.Equal(1, s.Reclaims);

        store.AdvanceMs(50);
        var t6 = t5 + 50;
        await store.Engine.AckAsync("p");
        s = await store.Engine.InspectProcAsync("p");
        Assert.Equal($"{ids[2]}..{ids[3]}", s.LastAckedRange);
        Assert.Equal(At(t6), s.LastAckedAt);
        Assert.Equal(0, s.Reclaims);
        Assert.Equal(At(t1), s.CreatedAt);
        Assert.Equal(">", s.Offset);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Created_at_is_when_the_proc_was_created_not_when_it_first_claimed(string kind)
    {
        await using var store = ProcStore.Open(kind);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        store.AdvanceMs(1_000);
        await store.CommitAsync("t", 1);
        store.AdvanceMs(1_000);

        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(At(ProcStore.StartMs), state.CreatedAt);
        Assert.Equal(At(ProcStore.StartMs + 2_000), state.LastClaimedAt);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Offset_is_reported_as_given_at_creation(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);

        await store.Engine.ProcAsync("t", new ProcOptions { Name = "a", Offset = "$>" });
        await store.Engine.ProcAsync("t", new ProcOptions { Name = "b", Offset = ":1" });
        await store.Engine.ProcAsync("t", new ProcOptions { Name = "c", Offset = $"{ProcStore.StartMs}-0" });

        Assert.Equal("$>", (await store.Engine.InspectProcAsync("a")).Offset);
        Assert.Equal(":1", (await store.Engine.InspectProcAsync("b")).Offset);
        Assert.Equal($"{ProcStore.StartMs}-0", (await store.Engine.InspectProcAsync("c")).Offset);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_automatic_reclaim_is_reflected_in_the_state(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(6));

        Assert.Single(await store.Engine.ProcAsync("t", options));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(1, state.Reclaims);
        Assert.Equal(ids[0], state.LastClaimedRange);
        Assert.Equal(At(ProcStore.StartMs + 6_000), state.LastClaimedAt);
        Assert.Equal("", state.LastAckedRange);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_updates_the_acked_fields_like_an_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Equal(2, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Count = 2 })).Count);
        store.AdvanceMs(40);

        await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray())]);

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal($"{ids[0]}..{ids[1]}", state.LastAckedRange);
        Assert.Equal(At(ProcStore.StartMs + 40), state.LastAckedAt);
    }
}
