using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// AckAndProcAsync: the ack of AckAsync, then the claim of ProcAsync, in one call (one round trip
/// over IPC). It fails as the ack would, and then claims nothing; a call the claim would refuse
/// (bad options, a proc of another topic) acks nothing.
/// </summary>
public sealed class AckAndProcTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task It_acks_the_open_claim_and_returns_the_next_records(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        var options = new ProcOptions { Name = "p", Count = 2 };
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));

        var result = await store.Engine.AckAndProcAsync("t", options);

        Assert.Equal(ProcStore.RangeOf(ids[0..2]), result.AckedRange);
        Assert.Equal(ids[2..4], ProcStore.IdsOf(result.Claimed));
        Assert.Equal("t 2", System.Text.Encoding.UTF8.GetString(result.Claimed[0].Body.Span));
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ProcStore.RangeOf(ids[0..2]), state.LastAckedRange);
        Assert.Equal(ProcStore.RangeOf(ids[2..4]), state.LastClaimedRange);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_loop_of_it_reads_every_record_once_in_order_and_acks_the_last(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 10);
        var options = new ProcOptions { Name = "p", Count = 3 };
        var seen = new List<string>();

        var batch = await store.Engine.ProcAsync("t", options);
        while (batch.Count > 0)
        {
            seen.AddRange(ProcStore.IdsOf(batch));
            batch = (await store.Engine.AckAndProcAsync("t", options)).Claimed;
        }

        Assert.Equal(ids, seen);
        Assert.Equal(ids[9], (await store.Engine.InspectProcAsync("p")).LastAckedRange);
        // The last call acked and found nothing: the proc holds no claim.
        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Without_an_open_claim_it_is_nothing_to_ack_and_claims_nothing(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Empty(await store.Engine.ProcAsync("other", new ProcOptions { Name = "q" })); // a proc exists on the store

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.AckAndProcAsync("t", options));
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.AckAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAndProcAsync("t", options));

        Assert.Equal(ids[1..2], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_proc_of_another_topic_is_refused_before_anything_is_acked(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));

        await ProcStore.ThrowsAsync(LogEngineError.ProcNameNotUnique, async () => await store.Engine.AckAndProcAsync("u", options));

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal(ids[0], state.LastClaimedRange);
        Assert.Equal("", state.LastAckedRange);
        Assert.Equal(ids[0], await store.Engine.AckAsync("p")); // the claim is still open
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Options_the_claim_would_refuse_ack_nothing(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument,
            async () => await store.Engine.AckAndProcAsync("t", new ProcOptions { Name = "p", Count = 0 }));

        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_claim_past_its_timeout_is_reclaimed_not_acked_and_comes_back(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", ReclaimTimeout = TimeSpan.FromSeconds(5) };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(6));

        await ProcStore.ThrowsAsync(LogEngineError.NothingToAck, async () => await store.Engine.AckAndProcAsync("t", options));

        Assert.Equal(1, (await store.Engine.InspectProcAsync("p")).Reclaims);
        Assert.Equal(ids[0..1], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_disabled_proc_is_refused(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.DisableProcAsync("p");

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.AckAndProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.Disk))]
    public async Task What_it_acked_and_claimed_survives_a_reopen(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var options = new ProcOptions { Name = "p" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        Assert.Equal(ids[1..2], ProcStore.IdsOf((await store.Engine.AckAndProcAsync("t", options)).Claimed));

        await store.ReopenAsync();

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal((ids[0], ids[1]), (state.LastAckedRange, state.LastClaimedRange));
        Assert.Equal(ids[1], await store.Engine.AckAsync("p"));
    }

    public static TheoryData<string> Disk => new() { "disk" };
}
