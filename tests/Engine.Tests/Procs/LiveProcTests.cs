using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// LiveProc.ChangesAsync yields a batch when one is available; the reader acks, ack-commits or
/// reclaims it before the next comes. All = offset ">", Live = "$>". CancelAsync stops yielding.
/// Every CancellationTokenSource timeout here is a safety net against hangs, not an expectation.
/// </summary>
public sealed class LiveProcTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task All_mode_yields_existing_records_then_records_committed_later(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var existing = await store.CommitAsync("t", 3);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var seen = new List<string>();
        string[] later = [];

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            Assert.Single(batch);
            seen.Add(batch[0].Id);
            Assert.Equal(batch[0].Id, await live.AckAsync());
            if (seen.Count == 3)
            {
                store.AdvanceMs(10);
                later = await store.CommitAsync("t", 2);
            }
            if (seen.Count == 5) break;
        }

        Assert.Equal([.. existing, .. later], seen);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_waiting_live_proc_wakes_for_a_commit_to_a_topic_never_committed_before(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("fresh", LiveMode.All, 10);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var consumer = Task.Run(async () =>
        {
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                await live.AckAsync();
                return ProcStore.IdsOf(batch);
            }
            return [];
        });

        var id = await store.Engine.CommitAsync("fresh", "x"u8.ToArray());

        Assert.Equal([id], await consumer);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_waiting_live_proc_wakes_for_each_commit(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var consumer = Task.Run(async () =>
        {
            var seen = new List<string>();
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                seen.AddRange(ProcStore.IdsOf(batch));
                await live.AckAsync();
                if (seen.Count == 20) break;
            }
            return seen;
        });

        var ids = new List<string>();
        for (var i = 0; i < 20; i++) ids.Add(await store.Engine.CommitAsync("t", new[] { (byte)i }));

        Assert.Equal(ids, await consumer);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Live_mode_yields_only_records_committed_after_the_live_proc_was_made(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        await using var live = store.Engine.LiveProc("t", LiveMode.Live, 1);
        var later = await store.CommitAsync("t", 2);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var seen = new List<string>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            seen.AddRange(ProcStore.IdsOf(batch));
            await live.AckAsync();
            if (seen.Count >= 2) break;
        }

        Assert.Equal(later, seen);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Live_mode_started_before_any_commit_yields_the_next_commit(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var before = await store.CommitAsync("t", 2);
        await using var live = store.Engine.LiveProc("t", LiveMode.Live, 5);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var consumer = Task.Run(async () =>
        {
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                await live.AckAsync();
                return ProcStore.IdsOf(batch);
            }
            return [];
        });

        store.AdvanceMs(1);
        var next = await store.Engine.CommitAsync("t", "new"u8.ToArray());

        var first = await consumer;
        Assert.Equal([next], first);
        Assert.DoesNotContain(before[0], first);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Count_sets_the_batch_size(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 2);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var batches = new List<string[]>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            batches.Add(ProcStore.IdsOf(batch));
            Assert.Equal(ProcStore.RangeOf(ProcStore.IdsOf(batch)), await live.AckAsync());
            if (batches.Sum(b => b.Length) == 5) break;
        }

        Assert.Equal([ids[0..2], ids[2..4], ids[4..5]], batches);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_reclaimed_batch_is_yielded_again(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 2);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var batches = new List<string[]>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            batches.Add(ProcStore.IdsOf(batch));
            if (batches.Count == 1)
            {
                Assert.Equal($"{ids[0]}..{ids[1]}", await live.ReclaimAsync());
                continue;
            }
            await live.AckAsync();
            if (batches.Count == 3) break;
        }

        Assert.Equal([ids[0..2], ids[0..2], ids[2..3]], batches);
        Assert.Equal(0, (await live.InspectAsync()).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_batch_left_unacked_past_the_reclaim_timeout_is_yielded_again(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        var timeout = (await live.InspectAsync()).ReclaimTimeout;
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var batches = new List<string[]>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            batches.Add(ProcStore.IdsOf(batch));
            if (batches.Count == 1)
            {
                store.Advance(timeout + TimeSpan.FromSeconds(1)); // not acked: the claim times out
                continue;
            }
            if (batches.Count == 2) Assert.Equal(1, (await live.InspectAsync()).Reclaims);
            await live.AckAsync();
            if (batches.Count == 3) break;
        }

        Assert.Equal([[ids[0]], [ids[0]], [ids[1]]], batches);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_waiting_live_proc_yields_a_timed_out_batch_again_when_the_clock_passes_the_timeout(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        var timeout = (await live.InspectAsync()).ReclaimTimeout;
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        using var firstYielded = new SemaphoreSlim(0);
        var consumer = Task.Run(async () =>
        {
            var batches = new List<string[]>();
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                batches.Add(ProcStore.IdsOf(batch));
                if (batches.Count == 2) break;
                firstYielded.Release(); // left unacked; the enumeration now waits on the open claim
            }
            return batches;
        });
        await firstYielded.WaitAsync(cts.Token);
        Assert.Equal(ids[0], (await live.InspectAsync()).LastClaimedRange);

        var armed = store.Clock.TimersArmed;
        store.Advance(timeout + TimeSpan.FromSeconds(1));
        // A waiter may measure the time left just before that jump and arm its fake-clock timer just
        // after it, with the old remainder: when a timer is armed after a jump, the clock moves on
        // again (an event, never a wall-clock wait).
        while (!consumer.IsCompleted && !cts.IsCancellationRequested)
        {
            await Task.WhenAny(consumer, store.Clock.ArmedBeyondAsync(armed)).WaitAsync(ProcStore.Guard);
            armed = store.Clock.TimersArmed;
            if (!consumer.IsCompleted) store.Advance(timeout);
        }

        Assert.Equal([[ids[0]], [ids[0]]], await consumer);
        Assert.True((await live.InspectAsync()).Reclaims >= 1);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_through_the_live_proc_acks_and_commits(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var acked = new List<string>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            var result = await live.AckCommitAsync([new CommitLog("out", batch[0].Body)]);
            Assert.Single(result.CommittedIds);
            acked.Add(result.AckedRange);
            if (acked.Count == 2) break;
        }

        Assert.Equal(ids, acked);
        Assert.Equal(["t 0", "t 1"], (await store.Engine.RangeAsync("out")).Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancel_ends_a_waiting_enumeration_without_an_exception(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var consumer = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var batch in live.ChangesAsync(cts.Token)) count++;
            return count;
        });

        await live.CancelAsync();

        Assert.Equal(0, await consumer.WaitAsync(ProcStore.Guard));
        Assert.False(cts.IsCancellationRequested);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancel_stops_yielding_and_leaves_the_proc_consistent(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource(ProcStore.Guard);
        var seen = new List<string>();

        await foreach (var batch in live.ChangesAsync(cts.Token))
        {
            seen.AddRange(ProcStore.IdsOf(batch));
            await live.AckAsync();
            await live.CancelAsync();
        }

        Assert.Equal([ids[0]], seen);
        Assert.Equal(ids[0], (await live.InspectAsync()).LastAckedRange);
        Assert.Equal([ids[1]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = live.Name })));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancelling_the_token_ends_a_waiting_enumeration_with_operation_canceled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        using var cts = new CancellationTokenSource();
        var consumer = Task.Run(async () =>
        {
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                // nothing is ever committed
            }
        });

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer.WaitAsync(ProcStore.Guard));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Name_is_not_empty_and_inspect_describes_the_proc(string kind)
    {
        await using var store = ProcStore.Open(kind);
        store.AdvanceMs(77);
        await using var all = store.Engine.LiveProc("t", LiveMode.All, 3);
        await using var fromNow = store.Engine.LiveProc("t", LiveMode.Live);

        Assert.False(string.IsNullOrEmpty(all.Name));
        Assert.False(string.IsNullOrEmpty(fromNow.Name));
        Assert.NotEqual(all.Name, fromNow.Name);
        var state = await all.InspectAsync();
        Assert.Equal(all.Name, state.Name);
        Assert.Equal("t", state.Topic);
        Assert.Equal(ProcStatus.Active, state.Status);
        Assert.Equal(">", state.Offset);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs + 77), state.CreatedAt);
        Assert.Equal("$>", (await fromNow.InspectAsync()).Offset);
        Assert.Equal(state, await store.Engine.InspectProcAsync(all.Name));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Disable_resume_and_destroy_act_on_the_proc_underneath(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("t", LiveMode.All, 1);

        Assert.Equal(ProcStatus.Disabled, (await live.DisableAsync()).Status);
        Assert.Equal(ProcStatus.Disabled, (await store.Engine.InspectProcAsync(live.Name)).Status);
        Assert.Equal(ProcStatus.Active, (await live.ResumeAsync()).Status);
        await ProcStore.ThrowsAsync(LogEngineError.ProcAlreadyActive, async () => await live.ResumeAsync());

        Assert.Equal(live.Name, (await live.DestroyAsync()).Name);
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync(live.Name));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Two_live_procs_on_one_topic_each_see_every_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 4);
        await using var first = store.Engine.LiveProc("t", LiveMode.All, 1);
        await using var second = store.Engine.LiveProc("t", LiveMode.All, 3);
        using var cts = new CancellationTokenSource(ProcStore.Guard);

        async Task<List<string>> Drain(LiveProc live)
        {
            var seen = new List<string>();
            await foreach (var batch in live.ChangesAsync(cts.Token))
            {
                seen.AddRange(ProcStore.IdsOf(batch));
                await live.AckAsync();
                if (seen.Count == ids.Length) break;
            }
            return seen;
        }

        var results = await Task.WhenAll(Task.Run(() => Drain(first)), Task.Run(() => Drain(second)));

        Assert.Equal(ids, results[0]);
        Assert.Equal(ids, results[1]);
    }
}
