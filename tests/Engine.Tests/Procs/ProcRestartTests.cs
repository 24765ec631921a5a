namespace Engine.Tests.Procs;

/// <summary>Proc state is durable: claims, acks, options, status and destruction survive closing and reopening.</summary>
public sealed class ProcRestartTests
{
    [Fact]
    public async Task An_open_claim_survives_a_reopen_and_still_blocks_new_claims_until_it_times_out()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p", Count = 2, ReclaimTimeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        await store.ReopenAsync();

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal($"{ids[0]}..{ids[1]}", state.LastClaimedRange);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs), state.LastClaimedAt);
        store.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await store.Engine.ProcAsync("t", options));

        store.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Fact]
    public async Task An_open_claim_made_before_a_reopen_can_be_acked_after_it()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        await store.ReopenAsync();

        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Fact]
    public async Task An_open_claim_made_before_a_reopen_can_be_reclaimed_after_it()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", Count = 2 };
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);

        await store.ReopenAsync();

        Assert.Equal($"{ids[0]}..{ids[1]}", await store.Engine.ReclaimProcAsync("p"));
        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Fact]
    public async Task The_acked_position_survives_a_reopen()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 5);
        var options = new ProcOptions { Name = "p", Count = 2 };
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
            await store.Engine.AckAsync("p");
        }

        await store.ReopenAsync();

        Assert.Equal([ids[4]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal($"{ids[2]}..{ids[3]}", (await store.Engine.InspectProcAsync("p")).LastAckedRange);
    }

    [Fact]
    public async Task The_whole_state_reads_back_the_same_after_a_reopen()
    {
        await using var store = ProcStore.Open("disk");
        await store.CommitAsync("t", 4);
        var options = new ProcOptions
        {
            Name = "p",
            Offset = ":0",
            MaxReclaims = 6,
            ReclaimTimeout = TimeSpan.FromSeconds(42),
            OnMaxReclaimsReached = OnMaxReclaims.Continue,
        };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.AdvanceMs(10);
        await store.Engine.AckAsync("p");
        store.AdvanceMs(10);
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        store.AdvanceMs(10);
        Assert.Single(await store.Engine.ProcAsync("t", options));
        var before = await store.Engine.InspectProcAsync("p");

        await store.ReopenAsync();

        Assert.Equal(before, await store.Engine.InspectProcAsync("p"));
    }

    [Fact]
    public async Task Reclaims_counted_before_a_reopen_still_count_after_it()
    {
        await using var store = ProcStore.Open("disk");
        await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p", MaxReclaims = 3 };
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await store.Engine.ProcAsync("t", options));
            await store.Engine.ReclaimProcAsync("p");
        }

        await store.ReopenAsync();

        Assert.Equal(2, (await store.Engine.InspectProcAsync("p")).Reclaims);
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);
    }

    [Fact]
    public async Task A_disabled_proc_stays_disabled_after_a_reopen()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 1);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Offset = "$>" }));
        await store.Engine.DisableProcAsync("p");

        await store.ReopenAsync();

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.ResumeProcAsync("p");
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.RangeAsync("t")));
    }

    [Fact]
    public async Task A_destroyed_proc_stays_forgotten_after_a_reopen()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");
        await store.Engine.DestroyProcAsync("p");

        await store.ReopenAsync();

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("p"));
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" })));
    }

    [Fact]
    public async Task Ack_commit_survives_a_reopen_with_both_the_ack_and_the_records()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        var result = await store.Engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray()), new CommitLog("out2", "y"u8.ToArray())]);

        await store.ReopenAsync();

        Assert.Equal(ids[0], (await store.Engine.InspectProcAsync("p")).LastAckedRange);
        Assert.Equal([result.CommittedIds[0]], ProcStore.IdsOf(await store.Engine.RangeAsync("out")));
        Assert.Equal([result.CommittedIds[1]], ProcStore.IdsOf(await store.Engine.RangeAsync("out2")));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Fact]
    public async Task A_dollar_proc_created_before_a_reopen_claims_only_records_committed_after_its_creation()
    {
        await using var store = ProcStore.Open("disk");
        await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p", Offset = "$>", Count = 10 };
        Assert.Empty(await store.Engine.ProcAsync("t", options));
        store.AdvanceMs(5);
        var between = await store.Engine.CommitAsync("t", "between"u8.ToArray());

        await store.ReopenAsync();
        store.AdvanceMs(5);
        var after = await store.Engine.CommitAsync("t", "after"u8.ToArray());

        Assert.Equal([between, after], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Fact]
    public async Task Changes_made_after_a_reopen_survive_the_next_reopen()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 4);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");
        await store.ReopenAsync();
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "q" }));

        await store.ReopenAsync();

        Assert.Equal([ids[2]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(ids[0], (await store.Engine.InspectProcAsync("q")).LastClaimedRange);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "q" }));
    }

    [Fact]
    public async Task A_claim_whose_timeout_passed_while_the_store_was_closed_is_handed_out_again()
    {
        await using var store = ProcStore.Open("disk");
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(10) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.DisposeAsync();
        store.Advance(TimeSpan.FromSeconds(30));

        await store.ReopenAsync();

        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Fact]
    public async Task A_proc_name_stays_bound_to_its_topic_after_a_reopen()
    {
        await using var store = ProcStore.Open("disk");
        await store.CommitAsync("a", 1);
        await store.CommitAsync("b", 1);
        Assert.Single(await store.Engine.ProcAsync("a", new ProcOptions { Name = "p" }));

        await store.ReopenAsync();

        await ProcStore.ThrowsAsync(LogEngineError.ProcNameNotUnique, async () => await store.Engine.ProcAsync("b", new ProcOptions { Name = "p" }));
    }
}
