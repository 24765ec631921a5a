using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>DLL processors in real worker processes: every input yields exactly one output in every To topic.</summary>
public sealed class DllProcessorTests
{
    [Fact]
    public async Task Records_from_several_topics_reach_every_to_topic_exactly_once()
    {
        await using var store = WorkerEngine.Open(workers: 2);
        var dll = Samples.CopyTo("Increment", store.Processors);
        var states = await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["a", "b"], To = ["x", "y"], Processor = dll, Count = 7 });
        Assert.Equal(["inc__a", "inc__b"], states.Select(s => s.Name));
        await store.CommitNumbersAsync("a", 0, 100);
        await store.CommitNumbersAsync("b", 1000, 100);

        await store.WaitForProcsAsync("inc__a", "inc__b");

        var expected = Enumerable.Range(1, 100).Concat(Enumerable.Range(1001, 100)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(expected, (await store.BodiesAsync("x")).Order());
        Assert.Equal(expected, (await store.BodiesAsync("y")).Order());
        var stats = await store.Engine.GetStatsAsync();
        Assert.Equal(2, stats.Workers.Count);
        Assert.True(stats.Workers.All(w => w.ProcessId > 0));
        Assert.Equal(stats.SystemProcs.Single().Executions, stats.Workers.Sum(w => w.Executions));
    }

    [Fact]
    public async Task A_throwing_processor_reclaims_and_the_retry_processes_each_record_once()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "chaos", From = ["in"], To = ["out"], Processor = dll, MaxReclaims = -1 });
        var inputs = new[] { "a", "once-throw:b", "c", "once-throw:d", "e" };
        await store.Engine.CommitAsync([.. inputs.Select(i => new CommitLog("in", System.Text.Encoding.UTF8.GetBytes(i)))]);

        await store.WaitForProcsAsync("chaos");

        Assert.Equal(inputs, await store.BodiesAsync("out"));
        var stats = (await store.Engine.GetStatsAsync()).SystemProcs.Single();
        Assert.Equal(2, stats.Errors);
        Assert.Equal(5, stats.Executions);
    }

    [Fact]
    public async Task Dll_system_procs_run_again_after_a_reopen_without_being_registered_again()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Increment", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["in"], To = ["out"], Processor = dll, Count = 10 });
        await store.CommitNumbersAsync("in", 0, 50);
        await store.WaitForProcsAsync("inc");

        await store.ReopenAsync();
        await store.CommitNumbersAsync("in", 50, 50);
        await store.WaitForProcsAsync("inc");

        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), (await store.BodiesAsync("out")).OrderBy(int.Parse));
    }

    [Fact]
    public async Task A_system_proc_without_a_usable_processor_is_no_valid_processor()
    {
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Increment", store.Processors);
        File.WriteAllText(Path.Combine(store.Processors, "Broken.dll"), "not a dll");

        async Task Expect(SystemProcOptions options)
        {
            var error = await Assert.ThrowsAsync<LogEngineException>(() => store.Engine.SystemProcAsync(options).AsTask());
            Assert.Equal(LogEngineError.NoValidProcessor, error.Code);
        }

        await Expect(new SystemProcOptions { Name = "none", From = ["in"] });
        await Expect(new SystemProcOptions { Name = "missing", From = ["in"], Processor = Path.Combine(store.Processors, "Nope.dll") });
        await Expect(new SystemProcOptions { Name = "broken", From = ["in"], Processor = Path.Combine(store.Processors, "Broken.dll") });
        await Expect(new SystemProcOptions { Name = "no-type", From = ["in"], Processor = dll + ":Increment.NoSuchType" });
        await Expect(new SystemProcOptions { Name = "not-a-processor", From = ["in"], Processor = Path.Combine(store.Processors, "SampleMath.dll") });
        await using var noWorkers = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        var error = await Assert.ThrowsAsync<LogEngineException>(() => noWorkers.SystemProcAsync(new SystemProcOptions { Name = "x", From = ["in"], Processor = dll }).AsTask());
        Assert.Equal(LogEngineError.NoValidProcessor, error.Code);
        Assert.Empty(await noWorkers.GetStatsAsync() is var stats ? stats.Workers : []);
    }

    [Fact]
    public async Task A_relative_processor_path_resolves_against_the_processors_directory()
    {
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "echo-rel", From = ["in"], To = ["out"], Processor = "Chaos.dll:Chaos.ChaosProcessor" });
        await store.Engine.CommitAsync("in", "hello"u8.ToArray());

        await store.WaitForProcsAsync("echo-rel");

        Assert.Equal(["hello"], await store.BodiesAsync("out"));
    }
}
