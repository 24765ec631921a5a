using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// A disabled proc throws ProcIsDisabled on ProcAsync, AckAsync, AckCommitAsync and
/// ReclaimProcAsync; disabling twice just returns the state; resuming an active proc is
/// ProcAlreadyActive; resuming resets Reclaims and the proc claims again.
/// </summary>
public sealed class DisableResumeTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Disable_returns_the_state_as_disabled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");

        var state = await store.Engine.DisableProcAsync("p");

        Assert.Equal("p", state.Name);
        Assert.Equal("t", state.Topic);
        Assert.Equal(ProcStatus.Disabled, state.Status);
        Assert.Equal(ids[0], state.LastAckedRange);
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_disabled_proc_refuses_to_claim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        Assert.Empty(await store.Engine.ProcAsync("fresh", new ProcOptions { Name = "p" }));
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "q" }));
        await store.Engine.AckAsync("q");
        await store.Engine.DisableProcAsync("p");
        await store.Engine.DisableProcAsync("q");

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("fresh", new ProcOptions { Name = "p" }));
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", new ProcOptions { Name = "q" }));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_disabled_proc_with_an_open_claim_refuses_ack_ack_commit_and_reclaim(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.DisableProcAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.AckAsync("p"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled,
            async () => await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray())]));
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ReclaimProcAsync("p"));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
        Assert.Equal("", (await store.Engine.InspectProcAsync("p")).LastAckedRange);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Disabling_a_disabled_proc_just_returns_its_state(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");
        var first = await store.Engine.DisableProcAsync("p");

        var second = await store.Engine.DisableProcAsync("p");

        Assert.Equal(ProcStatus.Disabled, second.Status);
        Assert.Equal(first, second);
        Assert.Equal(ids[0], second.LastAckedRange);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Resuming_an_active_proc_is_proc_already_active(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.ProcAlreadyActive, async () => await store.Engine.ResumeProcAsync("p"));

        await store.Engine.DisableProcAsync("p");
        await store.Engine.ResumeProcAsync("p");
        await ProcStore.ThrowsAsync(LogEngineError.ProcAlreadyActive, async () => await store.Engine.ResumeProcAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Resume_returns_the_active_state_with_reclaims_reset(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2 };
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.ReclaimProcAsync("p");
        }
        var disabled = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, disabled.Status);
        Assert.Equal(2, disabled.Reclaims);

        var resumed = await store.Engine.ResumeProcAsync("p");

        Assert.Equal(ProcStatus.Active, resumed.Status);
        Assert.Equal(0, resumed.Reclaims);
        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_resumed_proc_claims_the_records_it_gave_back_and_moves_on(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p", Count = 2, MaxReclaims = 1 };
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        await store.Engine.ReclaimProcAsync("p");
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", options));

        await store.Engine.ResumeProcAsync("p");

        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal($"{ids[0]}..{ids[1]}", await store.Engine.AckAsync("p"));
        Assert.Equal([ids[2]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_resumed_proc_can_again_be_reclaimed_max_reclaims_times(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 2 };
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.ReclaimProcAsync("p");
        }
        await store.Engine.ResumeProcAsync("p");

        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("p")).Status);
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Disabling_one_proc_leaves_another_on_the_same_topic_active(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "a", Offset = "$>" }));
        await store.Engine.DisableProcAsync("a");

        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "b" })));
        Assert.Equal(ids[0], await store.Engine.AckAsync("b"));
    }
}
