using System.Diagnostics;
using System.Globalization;
using System.Text;
using Engine.Tests.Support;
using Engine.Workers.Supervision;

namespace Engine.Tests.Workers;

/// <summary>
/// A spare worker process, started ahead of need, takes the place of a worker that is lost or
/// recycled at once, so a replacement does not wait for a process to start. The Chaos processor's
/// <c>pid</c> command tells which process ran each batch.
/// </summary>
public sealed class SpareWorkerTests
{
    [Fact]
    public async Task A_killed_worker_s_slot_is_taken_at_once_by_the_spare_started_before_the_kill()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        await StartChaosAsync(store);
        var first = Assert.Single(await RunPidsAsync(store, 1));
        var spare = await store.UntilAsync(ReadySpare);
        var victim = (await store.Engine.GetStatsAsync()).Workers.Single();
        Assert.Equal(first, victim.ProcessId);

        Process.GetProcessById(victim.ProcessId).Kill(); // SIGKILL
        var serving = await store.UntilAsync(p => p.Workers[0].Current is { IsReady: true } current && current.ProcessId != victim.ProcessId ? current : null);

        Assert.Same(spare, serving); // the process known before the kill: none had to start
        var worker = (await store.Engine.GetStatsAsync()).Workers.Single();
        Assert.Equal((0, spare.ProcessId, "Ready", 1), (worker.Id, worker.ProcessId, worker.State, worker.Restarts));
        Assert.Equal([spare.ProcessId], await RunPidsAsync(store, 1)); // and it runs the slot's batches
    }

    [Fact]
    public async Task After_a_promotion_a_new_spare_starts_and_takes_the_next_lost_slot()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        await StartChaosAsync(store);
        var victim = Assert.Single(await RunPidsAsync(store, 1));
        var first = await store.UntilAsync(ReadySpare);
        Process.GetProcessById(victim).Kill();
        await store.UntilAsync(p => p.Workers[0].Current == first ? first : null);

        var second = await store.UntilAsync(p => p.Spares.FirstOrDefault(s => s.IsReady && s != first));
        Process.GetProcessById(first.ProcessId).Kill();
        await store.UntilAsync(p => p.Workers[0].Current == second ? second : null);

        Assert.DoesNotContain(second.ProcessId, new[] { victim, first.ProcessId });
        Assert.Equal(2, (await store.Engine.GetStatsAsync()).Workers.Single().Restarts); // one per kill
        Assert.Equal([second.ProcessId], await RunPidsAsync(store, 1));
    }

    [Fact]
    public async Task With_no_spare_workers_a_killed_worker_is_started_again()
    {
        await using var store = WorkerEngine.Open(workers: 1, spares: 0);
        await StartChaosAsync(store);
        var victim = Assert.Single(await RunPidsAsync(store, 1));
        Assert.Empty(store.Pool.Spares);

        Process.GetProcessById(victim).Kill();
        var replacement = await store.UntilAsync(p => p.Workers[0].Current is { IsReady: true } current && current.ProcessId != victim ? current : null);

        Assert.False(replacement.StartedAsSpare); // started for the slot after the kill
        Assert.Empty(store.Pool.Spares);
        Assert.Equal(1, (await store.Engine.GetStatsAsync()).Workers.Single().Restarts);
        Assert.Equal([replacement.ProcessId], await RunPidsAsync(store, 1));
    }

    [Fact]
    public async Task The_spare_runs_no_batch_before_it_is_promoted()
    {
        // Four take requests per process: a spare's would be offered beside the worker's if they did not wait.
        await using var store = WorkerEngine.Open(workers: 1, concurrency: 4);
        await StartChaosAsync(store);
        var worker = Assert.Single(await RunPidsAsync(store, 1));
        var spare = await store.UntilAsync(ReadySpare);

        var pids = await RunPidsAsync(store, 40);

        Assert.All(pids, pid => Assert.Equal(worker, pid));
        Assert.Same(spare, Assert.Single(store.Pool.Spares));
        Assert.Equal(0, spare.ExecutionsSinceStart);
    }

    [Fact]
    public async Task A_recycled_worker_hands_its_slot_to_the_spare()
    {
        await using var store = WorkerEngine.Open(workers: 1, restartAfter: 3);
        await StartChaosAsync(store);
        var first = Assert.Single(await RunPidsAsync(store, 1));
        var recycled = store.Pool.Workers[0].Current!;
        var spare = await store.UntilAsync(ReadySpare);

        var pids = await RunPidsAsync(store, 2); // its second and third batches: it is recycled after the third
        await store.UntilAsync(p => p.Workers[0].Current == spare ? spare : null);

        Assert.Equal([first, first], pids);
        Assert.Equal([spare.ProcessId], await RunPidsAsync(store, 1));
        Assert.Equal(1, (await store.Engine.GetStatsAsync()).Workers.Single().Restarts);
        await recycled.Exited.Task.WaitAsync(WorkerEngine.Guard);
        Assert.Equal(0, recycled.Process.ExitCode); // told to exit after its batches, not killed
    }

    [Fact]
    public async Task Disposing_the_engine_stops_the_spare_too_and_leaves_no_process_behind()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        await StartChaosAsync(store);
        await RunPidsAsync(store, 1);
        var spare = await store.UntilAsync(ReadySpare);
        var worker = store.Pool.Workers[0].Current!;

        await store.Engine.DisposeAsync();

        // Both exited before the engine's dispose returned, and exited cleanly (code 0): they were
        // told to, rather than being killed or finding their connection gone (code 1).
        Assert.Equal((true, 0), (spare.Process.HasExited, spare.Process.ExitCode));
        Assert.Equal((true, 0), (worker.Process.HasExited, worker.Process.ExitCode));
    }

    private static Incarnation? ReadySpare(WorkerPool pool) => pool.Spares.FirstOrDefault(s => s.IsReady);

    private static async Task StartChaosAsync(WorkerEngine store)
    {
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, Count = 1 });
    }

    /// <summary>Runs <paramref name="batches"/> batches of the Chaos <c>pid</c> command; returns the process that ran each, in order.</summary>
    private static async Task<int[]> RunPidsAsync(WorkerEngine store, int batches)
    {
        var before = (await store.BodiesAsync("out")).Count;
        await store.Engine.CommitAsync([.. Enumerable.Range(0, batches).Select(_ => new CommitLog("in", Encoding.UTF8.GetBytes("pid")))]);
        await store.WaitForProcsAsync("chaos");
        return [.. (await store.BodiesAsync("out")).Skip(before).Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
    }
}
