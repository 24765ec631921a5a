using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// WaitForProcsAsync completes when every active proc named (all when null) has acked the last
/// record of its topic; it honours cancellation; unknown names are ProcNotFound.
/// </summary>
public sealed class WaitForProcsTests
{
    /// <summary>
    /// Asserts a wait has not completed, by an event rather than a delay: every waiter is woken to
    /// look again, and the assertion waits for a look taken after everything the test did (looks run
    /// under the write lock) to find procs behind and go back to sleep. A wait that should have
    /// completed completes instead, and the assertion fails.
    /// </summary>
    private static async Task AssertPendingAsync(ProcStore store, Task wait)
    {
        var procs = EngineOf(store.Engine).ProcService;
        var laterLook = procs.WaitLooks;
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnParked(long look)
        {
            if (look > laterLook) parked.TrySetResult();
        }
        procs.WaitParked += OnParked;
        try
        {
            procs.WakeWaits();
            await Task.WhenAny(wait, parked.Task).WaitAsync(ProcStore.Guard);
        }
        finally
        {
            procs.WaitParked -= OnParked;
        }
        Assert.False(wait.IsCompleted, $"the wait ended early: {wait.Status} {wait.Exception?.InnerException?.Message}");
    }

    private static LogEngine EngineOf(ILogClient client) => client switch
    {
        LogEngine engine => engine,
        HostedClient hosted => hosted.Host.Engine,
        _ => throw new ArgumentException($"no engine behind a {client.GetType().Name}"),
    };

    private static async Task ConsumeAllAsync(ProcStore store, string topic, string proc)
    {
        while ((await store.Engine.ProcAsync(topic, new ProcOptions { Name = proc, Count = 1000 })).Count > 0)
        {
            await store.Engine.AckAsync(proc);
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Completes_once_every_named_proc_has_acked_the_last_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        await ConsumeAllAsync(store, "t", "a");
        await ConsumeAllAsync(store, "t", "b");

        await store.Engine.WaitForProcsAsync(["a", "b"]).AsTask().WaitAsync(ProcStore.Guard);
        await store.Engine.WaitForProcsAsync(["a"]).AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Does_not_complete_while_a_named_proc_has_not_acked_the_last_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        await ConsumeAllAsync(store, "t", "a");
        Assert.Equal(2, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "b", Count = 2 })).Count);
        await store.Engine.AckAsync("b");

        await AssertPendingAsync(store, store.Engine.WaitForProcsAsync(["a", "b"]).AsTask());
        await store.Engine.WaitForProcsAsync(["a"]).AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Completes_when_the_last_ack_happens(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        await ConsumeAllAsync(store, "t", "a");
        Assert.Equal(2, (await store.Engine.ProcAsync("t", new ProcOptions { Name = "b", Count = 2 })).Count);
        await store.Engine.AckAsync("b");
        var wait = store.Engine.WaitForProcsAsync(["a", "b"]).AsTask();
        Assert.Equal([ids[2]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "b" })));
        await AssertPendingAsync(store, wait);

        await store.Engine.AckAsync("b");

        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_reclaim_does_not_complete_the_wait_and_the_later_ack_does(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", Count = 2 };
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
        var wait = store.Engine.WaitForProcsAsync(["p"]).AsTask();

        await store.Engine.ReclaimProcAsync("p");
        await AssertPendingAsync(store, wait);
        Assert.Equal(2, (await store.Engine.ProcAsync("t", options)).Count);
        await store.Engine.AckCommitAsync("p", []);

        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Null_waits_for_every_active_proc(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        await store.CommitAsync("u", 2);
        await ConsumeAllAsync(store, "t", "a");
        Assert.Single(await store.Engine.ProcAsync("u", new ProcOptions { Name = "b" }));
        await store.Engine.AckAsync("b");
        var wait = store.Engine.WaitForProcsAsync().AsTask();
        await AssertPendingAsync(store, wait);

        await ConsumeAllAsync(store, "u", "b");

        await wait.WaitAsync(ProcStore.Guard);
        await store.Engine.WaitForProcsAsync(null).AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Null_does_not_wait_for_a_disabled_proc(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        await ConsumeAllAsync(store, "t", "a");
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "stuck" }));
        await store.Engine.DisableProcAsync("stuck");

        await store.Engine.WaitForProcsAsync().AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Null_with_no_procs_completes(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);

        await store.Engine.WaitForProcsAsync().AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_commit_after_everything_was_acked_makes_the_next_wait_pend_until_it_is_acked(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        await ConsumeAllAsync(store, "t", "p");
        await store.Engine.WaitForProcsAsync(["p"]).AsTask().WaitAsync(ProcStore.Guard);

        await store.Engine.CommitAsync("t", "more"u8.ToArray());

        var wait = store.Engine.WaitForProcsAsync(["p"]).AsTask();
        await AssertPendingAsync(store, wait);
        await ConsumeAllAsync(store, "t", "p");
        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_commit_while_waiting_extends_what_must_be_acked(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        var wait = store.Engine.WaitForProcsAsync(["p"]).AsTask();

        await store.Engine.CommitAsync("t", "more"u8.ToArray());
        await store.Engine.AckAsync("p");

        await AssertPendingAsync(store, wait);
        await ConsumeAllAsync(store, "t", "p");
        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Each_proc_is_measured_against_its_own_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("long", 5);
        await store.CommitAsync("short", 1);
        await ConsumeAllAsync(store, "short", "s");
        Assert.Single(await store.Engine.ProcAsync("long", new ProcOptions { Name = "l" }));
        await store.Engine.AckAsync("l");

        await store.Engine.WaitForProcsAsync(["s"]).AsTask().WaitAsync(ProcStore.Guard);
        await AssertPendingAsync(store, store.Engine.WaitForProcsAsync(["l"]).AsTask());
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_ack_commit_feeding_another_procs_topic_keeps_the_wait_pending_until_that_proc_acks(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("in", 1);
        Assert.Empty(await store.Engine.ProcAsync("out", new ProcOptions { Name = "downstream" }));
        Assert.Single(await store.Engine.ProcAsync("in", new ProcOptions { Name = "upstream" }));
        var wait = store.Engine.WaitForProcsAsync().AsTask();

        await store.Engine.AckCommitAsync("upstream", [new CommitLog("out", "result"u8.ToArray())]);
        await AssertPendingAsync(store, wait);

        await ConsumeAllAsync(store, "out", "downstream");
        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Completes_for_a_live_proc_that_has_acked_everything(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 2);
        var wait = store.Engine.WaitForProcsAsync([live.Name]).AsTask();
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var seen = 0;

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            await AssertPendingAsync(store, wait);
            await live.AckAsync();
            seen += batch.Count;
            if (seen == ids.Length) break;
        }

        await wait.WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_already_cancelled_token_throws_operation_canceled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.Engine.WaitForProcsAsync(["p"], cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.Engine.WaitForProcsAsync(null, cts.Token));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancelling_a_pending_wait_throws_operation_canceled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        using var cts = new CancellationTokenSource();
        var wait = store.Engine.WaitForProcsAsync(["p"], cts.Token).AsTask();
        await AssertPendingAsync(store, wait);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(ProcStore.Guard));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_unknown_proc_name_is_proc_not_found(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        await ConsumeAllAsync(store, "t", "known");

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.WaitForProcsAsync(["unknown"]));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.WaitForProcsAsync(["known", "unknown"]));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_named_proc_disabled_while_behind_fails_the_wait_with_ProcIsDisabled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.AckAsync("p");
        await ConsumeAllAsync(store, "t", "q");
        await store.Engine.DisableProcAsync("p");

        var error = await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.WaitForProcsAsync(["p"]));
        Assert.Contains("'p'", error.Message, StringComparison.Ordinal);
        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.WaitForProcsAsync(["q", "p"]));
        // Waiting on every proc waits on the active ones, as documented: q has caught up.
        await store.Engine.WaitForProcsAsync().AsTask().WaitAsync(ProcStore.Guard);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_named_proc_disabled_by_its_reclaim_budget_fails_the_wait_with_ProcIsDisabled(string kind)
    {
        // The worker crash budget disables a proc this way: each failed batch is a reclaim.
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", MaxReclaims = 1 };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync("p")).Status);

        await ProcStore.ThrowsAsync(LogEngineError.ProcIsDisabled, async () => await store.Engine.WaitForProcsAsync(["p"]));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_named_proc_disabled_during_the_wait_ends_it_with_ProcIsDisabled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        var wait = store.Engine.WaitForProcsAsync(["p"]).AsTask();
        await AssertPendingAsync(store, wait);

        await store.Engine.DisableProcAsync("p");

        var error = await Assert.ThrowsAsync<LogEngineException>(() => wait.WaitAsync(ProcStore.Guard));
        Assert.Equal(LogEngineError.ProcIsDisabled, error.Code);
        Assert.Contains("'p'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_named_disabled_proc_that_has_caught_up_does_not_hold_the_wait(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        await ConsumeAllAsync(store, "t", "p");
        await store.Engine.DisableProcAsync("p");

        await store.Engine.WaitForProcsAsync(["p"]).AsTask().WaitAsync(ProcStore.Guard);
    }
}
