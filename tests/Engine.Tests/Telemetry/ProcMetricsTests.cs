using Engine.Tests.Support;

namespace Engine.Tests.Telemetry;

/// <summary>
/// The proc-side instruments: lag per proc, dead letters, processor errors and worker restarts.
/// Each test finds its own measurements by a tag only it uses (its store's path, or a proc name of
/// its own), since the meter is shared with the tests running beside it.
/// </summary>
public sealed class ProcMetricsTests
{
    [Fact]
    public async Task The_lag_gauge_reports_each_proc_of_an_open_store_and_forgets_the_store_once_closed()
    {
        using var metrics = new MetricsRecorder();
        using var dir = new TempDirectory();
        var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 });
        await engine.CommitAsync([.. Enumerable.Range(0, 5).Select(_ => new CommitLog("t", "x"u8.ToArray()))]);
        await engine.ProcAsync("t", new ProcOptions { Name = "acked-two", Count = 2 });
        await engine.AckAsync("acked-two");
        await engine.ProcAsync("t", new ProcOptions { Name = "claimed-one", Count = 1 }); // claimed, not acked: still lag

        Assert.Equal(3, metrics.ObserveTagged("engine.proc.lag", ("engine.store", dir.Path), ("messaging.consumer.group.name", "acked-two"), ("messaging.destination.name", "t")));
        Assert.Equal(5, metrics.ObserveTagged("engine.proc.lag", ("engine.store", dir.Path), ("messaging.consumer.group.name", "claimed-one")));
        await engine.DisposeAsync();

        using var after = new MetricsRecorder();
        Assert.Null(after.ObserveTagged("engine.proc.lag", ("engine.store", dir.Path)));
    }

    [Fact]
    public async Task Records_moved_to_a_dead_letter_topic_are_counted_by_proc()
    {
        using var metrics = new MetricsRecorder();
        var proc = $"dead-{Guid.NewGuid():N}";
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        await engine.CommitAsync([.. Enumerable.Range(0, 3).Select(_ => new CommitLog("t", "x"u8.ToArray()))]);
        var options = new ProcOptions { Name = proc, Count = 2, MaxReclaims = 1, OnMaxReclaimsReached = OnMaxReclaims.DeadLetter };

        await engine.ProcAsync("t", options);
        await engine.ReclaimProcAsync(proc); // reaches MaxReclaims: both records go to the dead-letter topic

        Assert.Equal(2, await engine.LengthAsync($"{proc}__dead"));
        Assert.Equal(2, metrics.SumTagged("engine.proc.dead_letters", ("messaging.consumer.group.name", proc)));
    }

    [Fact]
    public async Task An_inline_processor_that_throws_is_counted_as_a_processor_error_with_its_exception_type()
    {
        using var metrics = new MetricsRecorder();
        var name = $"flaky-{Guid.NewGuid():N}";
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        var calls = 0;
        await engine.SystemProcAsync(new SystemProcOptions
        {
            Name = name,
            From = ["in"],
            InlineProcessor = (logs, _) => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("first call fails")
                : ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([]),
        });
        await engine.CommitAsync("in", "x"u8.ToArray());

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await engine.WaitForProcsAsync([name], guard.Token); // the retry acked: the failure was counted before it

        Assert.Equal(1, metrics.SumTagged("engine.processor.errors", ("engine.system_proc", name), ("error.type", typeof(InvalidOperationException).FullName!)));
    }

    [Fact]
    public async Task A_worker_that_dies_counts_a_restart_and_a_processor_error_for_its_store()
    {
        using var metrics = new MetricsRecorder();
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, MaxReclaims = -1 });
        await store.Engine.CommitAsync("in", System.Text.Encoding.UTF8.GetBytes($"exit-once:{store.Directory.Combine("marker")}"));

        // The retry needs the one worker back: once the proc caught up, the restart was counted.
        await store.WaitForProcsAsync("chaos");

        var storeTag = ("engine.store", store.Engine.StoreName);
        Assert.Equal(1, metrics.SumTagged("engine.worker.restarts", storeTag, ("engine.worker.restart.reason", "died")));
        Assert.Equal(1, metrics.SumTagged("engine.processor.errors", storeTag, ("engine.system_proc", "chaos"), ("error.type", "worker_died")));
    }
}
