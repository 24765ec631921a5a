using Engine.Tests.Procs;

namespace Engine.Tests.Operating;

/// <summary>ListTopicsAsync, ListProcsAsync and ProcInfoAsync: what is stored and how far behind each proc is, the same in-process and over IPC.</summary>
public sealed class ListingTests
{
    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Topics_are_listed_by_name_with_length_and_first_and_last_ids(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var b = await store.CommitAsync("b", 3);
        store.AdvanceMs(5);
        var a = await store.CommitAsync("a", 1);

        var topics = await store.Engine.ListTopicsAsync();

        Assert.Equal(
            [new TopicInfo("a", 1, a[0], a[0]), new TopicInfo("b", 3, b[0], b[2])],
            topics);
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task An_empty_store_lists_no_topics_and_no_procs(string kind)
    {
        await using var store = ProcStore.Open(kind);
        Assert.Empty(await store.Engine.ListTopicsAsync());
        Assert.Empty(await store.Engine.ListProcsAsync());
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Lag_counts_unacked_records_and_age_is_that_of_the_first_of_them(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var t0 = store.NowMs;
        await store.CommitAsync("t", 2);
        store.AdvanceMs(100);
        await store.CommitAsync("t", 3);
        store.AdvanceMs(900);
        var options = new ProcOptions { Name = "p", Count = 2 };

        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
        var claimed = await store.Engine.ProcInfoAsync("p");
        Assert.Equal(5, claimed.Lag); // claimed but unacked records still count
        Assert.Equal(TimeSpan.FromMilliseconds(1000), claimed.OldestPendingAge);
        Assert.Equal("p", claimed.State.Name);

        await store.Engine.AckAsync("p");
        var acked = await store.Engine.ProcInfoAsync("p");
        Assert.Equal(3, acked.Lag);
        Assert.Equal(TimeSpan.FromMilliseconds(900), acked.OldestPendingAge); // the first of the second commit, at t0 + 100
        Assert.Equal(t0 + 100, store.NowMs - (long)acked.OldestPendingAge!.Value.TotalMilliseconds);

        Assert.Equal(3, (await store.Engine.ProcAsync("t", options with { Count = 3 })).Count);
        await store.Engine.AckAsync("p");
        var done = await store.Engine.ProcInfoAsync("p");
        Assert.Equal(0, done.Lag);
        Assert.Null(done.OldestPendingAge);
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Procs_are_listed_by_name_with_their_lag_and_offsets_are_honoured(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 4);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "z-new-only", Offset = "$>" }));
        Assert.Empty(await store.Engine.ProcAsync("empty", new ProcOptions { Name = "a-on-empty" }));
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "m-from-start" }));
        await store.CommitAsync("t", 1);

        var procs = await store.Engine.ListProcsAsync();

        Assert.Equal(["a-on-empty", "m-from-start", "z-new-only"], procs.Select(p => p.State.Name));
        Assert.Equal([0L, 5L, 1L], procs.Select(p => p.Lag));
        Assert.Null(procs[0].OldestPendingAge);
        Assert.NotNull(procs[2].OldestPendingAge);
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task ProcInfo_of_an_unknown_proc_is_ProcNotFound_and_a_bad_name_InvalidArgument(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.ProcInfoAsync("nobody"));
        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.ProcInfoAsync(""));
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Lag_survives_a_reopen(string kind)
    {
        await using var store = ProcStore.Open(kind);
        if (!store.Kind.IsPersistent) return;
        await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");

        await store.ReopenAsync();

        Assert.Equal(2, (await store.Engine.ProcInfoAsync("p")).Lag);
        Assert.Equal(3, (await store.Engine.ListTopicsAsync()).Single().Length);
    }
}
