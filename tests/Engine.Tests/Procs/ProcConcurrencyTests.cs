using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;

namespace Engine.Tests.Procs;

/// <summary>
/// Many concurrent callers of one proc never receive the same records twice while a claim is
/// open and together process every record exactly once; concurrent procs on one topic are independent.
/// The fake clock never moves here, so no claim can time out and be handed out again legitimately.
/// </summary>
public sealed class ProcConcurrencyTests
{
    public static TheoryData<string, int> KindsAndCounts() => new()
    {
        { "disk", 1 },
        { "memory", 1 },
        { "disk", 7 },
        { "memory", 7 },
    };

    /// <summary>Runs <paramref name="workers"/> claim-process-ack loops until <paramref name="total"/> records are acked.</summary>
    private static async Task<List<string>> ConsumeConcurrentlyAsync(
        ILogClient engine, string topic, ProcOptions options, int total, int workers,
        Func<IReadOnlyList<LogEntry>, Task<string>> ack)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // safety net only
        var order = new List<string>();
        var holders = new ConcurrentDictionary<string, int>();
        var acked = 0;
        Exception? failure = null;
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            try
            {
                while (Volatile.Read(ref acked) < total)
                {
                    cts.Token.ThrowIfCancellationRequested();
                    var batch = await engine.ProcAsync(topic, options, cts.Token);
                    if (batch.Count == 0)
                    {
                        await Task.Yield();
                        continue;
                    }
                    foreach (var entry in batch)
                    {
                        Assert.True(holders.TryAdd(entry.Id, worker), $"{entry.Id} was handed to worker {worker} after another worker got it");
                    }
                    lock (order) order.AddRange(batch.Select(e => e.Id));
                    Assert.Equal(ProcStore.RangeOf(ProcStore.IdsOf(batch)), await ack(batch));
                    Interlocked.Add(ref acked, batch.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || failure is null && !cts.IsCancellationRequested)
            {
                // the first real failure stops every worker and is the one reported
                Interlocked.CompareExchange(ref failure, e, null);
                await cts.CancelAsync();
            }
            catch (OperationCanceledException) when (failure is not null)
            {
                // stopped because another worker failed
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return order;
    }

    [Theory]
    [MemberData(nameof(KindsAndCounts))]
    public async Task Concurrent_callers_of_one_proc_process_every_record_exactly_once_in_order(string kind, int count)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 300);
        var options = new ProcOptions { Name = "p", Count = count };

        var order = await ConsumeConcurrentlyAsync(store.Engine, "t", options, ids.Length, workers: 6,
            async _ => await store.Engine.AckAsync("p"));

        Assert.Equal(ids, order);
        Assert.Empty(await store.Engine.ProcAsync("t", options));
        Assert.Equal(ids[^1], (await store.Engine.InspectProcAsync("p")).LastAckedRange.Split("..")[^1]);
    }

    [Theory]
    [MemberData(nameof(KindsAndCounts))]
    public async Task Concurrent_ack_commits_write_one_result_per_record(string kind, int count)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 200);
        var options = new ProcOptions { Name = "p", Count = count };

        await ConsumeConcurrentlyAsync(store.Engine, "t", options, ids.Length, workers: 5, async batch =>
        {
            var logs = batch.Select(e => new CommitLog("out", Encoding.UTF8.GetBytes(e.Id))).ToList();
            var result = await store.Engine.AckCommitAsync("p", logs);
            Assert.Equal(batch.Count, result.CommittedIds.Count);
            return result.AckedRange;
        });

        var results = await store.Engine.RangeAsync("out");
        Assert.Equal(ids, results.Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(KindsAndCounts))]
    public async Task Concurrent_callers_keep_up_with_concurrent_commits(string kind, int count)
    {
        await using var store = ProcStore.Open(kind);
        const int Total = 200;
        var options = new ProcOptions { Name = "p", Count = count };
        Assert.Empty(await store.Engine.ProcAsync("t", options));

        var producer = Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < Total; i++) ids.Add(await store.Engine.CommitAsync("t", Encoding.UTF8.GetBytes($"r{i}")));
            return ids;
        });
        var order = await ConsumeConcurrentlyAsync(store.Engine, "t", options, Total, workers: 4,
            async _ => await store.Engine.AckAsync("p"));

        Assert.Equal(await producer, order);
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Concurrent_first_calls_create_one_proc_and_hand_the_record_to_one_caller(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);
        var options = new ProcOptions { Name = "p" };
        using var start = new ManualResetEventSlim();

        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await store.Engine.ProcAsync("t", options);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(calls);

        var winners = results.Where(r => r.Count > 0).ToList();
        Assert.Single(winners);
        Assert.Equal(ids, ProcStore.IdsOf(winners[0]));
        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task Two_procs_on_one_topic_each_see_every_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 150);

        async Task<List<string>> RunProc(string name, int count) =>
            await ConsumeConcurrentlyAsync(store.Engine, "t", new ProcOptions { Name = name, Count = count }, ids.Length, workers: 3,
                async _ => await store.Engine.AckAsync(name));

        var results = await Task.WhenAll(Task.Run(() => RunProc("a", 1)), Task.Run(() => RunProc("b", 4)));

        Assert.Equal(ids, results[0]);
        Assert.Equal(ids, results[1]);
    }

    [Theory]
    [MemberData(nameof(Support.StoreKind.All), MemberType = typeof(Support.StoreKind))]
    public async Task A_stalled_proc_does_not_hold_back_another_on_the_same_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 5);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "stalled" }));

        var order = await ConsumeConcurrentlyAsync(store.Engine, "t", new ProcOptions { Name = "busy" }, ids.Length, workers: 2,
            async _ => await store.Engine.AckAsync("busy"));

        Assert.Equal(ids, order);
        Assert.Equal(ids[0], (await store.Engine.InspectProcAsync("stalled")).LastClaimedRange);
        Assert.Empty(await store.Engine.ProcAsync("t", new ProcOptions { Name = "stalled" }));
    }
}
