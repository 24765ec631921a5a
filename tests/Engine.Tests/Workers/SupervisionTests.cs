using System.Diagnostics;
using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>
/// Workers that die or hang: their batch is reclaimed and retried in a restarted worker, and no
/// record is lost or processed twice. The Chaos processor misbehaves once per marker file, so the
/// retry (in whatever process) succeeds.
/// </summary>
public sealed class SupervisionTests
{
    [Theory]
    [InlineData("exit")]
    [InlineData("failfast")]
    [InlineData("stackoverflow")]
    [InlineData("thread-throw")]
    public async Task A_worker_that_dies_is_restarted_and_its_batch_is_processed_once(string death)
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, MaxReclaims = -1 });
        var inputs = new[] { "a", $"{death}-once:{store.Directory.Combine("marker")}", "b" };
        await Commit(store, inputs);

        await store.WaitForProcsAsync("chaos");

        Assert.Equal(inputs, await store.BodiesAsync("out")); // the retried batch, once
        var stats = await store.Engine.GetStatsAsync();
        Assert.Equal(1, stats.Workers.Single().Restarts);
        Assert.Equal(1, stats.SystemProcs.Single().WorkerCrashes);
    }

    [Fact]
    public async Task A_worker_killed_while_it_holds_a_batch_is_replaced_and_the_batch_is_retried()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, ReclaimTimeout = TimeSpan.FromMinutes(5) });
        var marker = store.Directory.Combine("hanging");
        var started = FileAppears(marker);
        string[] inputs = ["first", $"hang-hard-once:{marker}", "last"];
        await Commit(store, inputs);
        await started; // the worker is inside the processor, holding the batch
        var pid = (await store.Engine.GetStatsAsync()).Workers.Single().ProcessId;

        Process.GetProcessById(pid).Kill(); // SIGKILL
        await store.WaitForProcsAsync("chaos");

        Assert.Equal(inputs, await store.BodiesAsync("out"));
        var worker = (await store.Engine.GetStatsAsync()).Workers.Single();
        Assert.Equal(1, worker.Restarts);
        Assert.NotEqual(pid, worker.ProcessId);
    }

    [Fact]
    public async Task A_processor_past_its_timeout_is_cancelled_and_the_batch_is_retried()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, ReclaimTimeout = TimeSpan.FromMilliseconds(500) });
        string[] inputs = ["a", $"hang-once:{store.Directory.Combine("marker")}", "b"];
        await Commit(store, inputs);

        await store.WaitForProcsAsync("chaos");

        Assert.Equal(inputs, await store.BodiesAsync("out"));
        var stats = await store.Engine.GetStatsAsync();
        Assert.Equal(0, stats.Workers.Single().Restarts); // it honoured its token: nobody was killed
        Assert.Equal(1, stats.SystemProcs.Single().Errors);
    }

    [Fact]
    public async Task A_processor_that_ignores_cancellation_gets_its_worker_killed()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, ReclaimTimeout = TimeSpan.FromMilliseconds(500) });
        string[] inputs = ["a", $"hang-hard-once:{store.Directory.Combine("marker")}", "b"];
        await Commit(store, inputs);

        await store.WaitForProcsAsync("chaos");

        Assert.Equal(inputs, await store.BodiesAsync("out"));
        Assert.Equal(1, (await store.Engine.GetStatsAsync()).Workers.Single().Restarts);
    }

    [Fact]
    public async Task A_system_proc_that_keeps_killing_workers_is_disabled_with_the_reason_recorded()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        var increment = Samples.CopyTo("Increment", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, MaxReclaims = -1 });
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["numbers"], To = ["incremented"], Processor = increment });
        await Commit(store, ["exit"]); // dies on every attempt

        ProcState state;
        using (var guard = new CancellationTokenSource(WorkerEngine.Guard))
        {
            // The disable is an event the proc's topic signals: a wait on the proc, behind and now
            // disabled by the crash budget, ends with ProcIsDisabled (it can never catch up).
            var error = await Assert.ThrowsAsync<LogEngineException>(async () => await store.Engine.WaitForProcsAsync(["chaos"], guard.Token));
            Assert.Equal(LogEngineError.ProcIsDisabled, error.Code);
            Assert.Contains("'chaos'", error.Message, StringComparison.Ordinal);
            state = await store.Engine.InspectProcAsync("chaos");
        }

        Assert.Equal(ProcStatus.Disabled, state.Status);
        var chaos = (await store.Engine.GetStatsAsync()).SystemProcs.Single(s => s.Name == "chaos");
        Assert.Equal(3, chaos.WorkerCrashes);
        Assert.Contains("took down 3 workers", chaos.DisabledReason, StringComparison.Ordinal);
        await store.CommitNumbersAsync("numbers", 1, 5); // the others keep working
        await store.WaitForProcsAsync("inc");
        Assert.Equal(["2", "3", "4", "5", "6"], await store.BodiesAsync("incremented"));
    }

    [Fact]
    public async Task Workers_are_replaced_after_worker_restart_after_executions_without_losing_anything()
    {
        await using var store = WorkerEngine.Open(workers: 1, restartAfter: 5);
        var dll = Samples.CopyTo("Increment", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["in"], To = ["out"], Processor = dll, Count = 1 });
        await store.CommitNumbersAsync("in", 0, 23);

        await store.WaitForProcsAsync("inc");

        Assert.Equal(Enumerable.Range(1, 23).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), await store.BodiesAsync("out"));
        // 23 batches of one, a new process after every 5th: four recycles, each counted once.
        Assert.Equal(4, (await store.Engine.GetStatsAsync()).Workers.Single().Restarts);
    }

    private static Task Commit(WorkerEngine store, IEnumerable<string> bodies) =>
        store.Engine.CommitAsync([.. bodies.Select(b => new CommitLog("in", Encoding.UTF8.GetBytes(b)))]).AsTask();

    /// <summary>Completes when <paramref name="path"/> exists (a processor signalling it is running).</summary>
    private static async Task FileAppears(string path)
    {
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path)) { EnableRaisingEvents = true };
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => created.TrySetResult();
        if (!File.Exists(path)) await created.Task.WaitAsync(WorkerEngine.Guard);
    }
}
