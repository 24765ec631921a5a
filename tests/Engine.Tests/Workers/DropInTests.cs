using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>The processors directory: DLLs dropped in register themselves; replaced ones reload; removed ones stop.</summary>
public sealed class DropInTests
{
    [Fact]
    public async Task A_dropped_in_dll_with_a_registration_attribute_registers_its_system_proc()
    {
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        var synced = store.SyncedAsync("DropInEcho.dll");
        Samples.CopyTo("DropInEcho", store.Processors);
        await synced;

        await store.Engine.CommitAsync([new CommitLog("echo-in", "one"u8.ToArray()), new CommitLog("echo-in", "two"u8.ToArray())]);
        await store.WaitForProcsAsync("echo");

        Assert.Equal(["one", "two"], await store.BodiesAsync("echo-out"));
    }

    [Fact]
    public async Task A_removed_dll_stops_its_system_proc_and_forgets_its_registration()
    {
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        var added = store.SyncedAsync("DropInEcho.dll");
        var dll = Samples.CopyTo("DropInEcho", store.Processors);
        await added;
        await store.Engine.CommitAsync("echo-in", "before"u8.ToArray());
        await store.WaitForProcsAsync("echo");

        var removed = store.SyncedAsync("DropInEcho.dll");
        File.Delete(dll);
        await removed;
        await store.Engine.CommitAsync("echo-in", "after"u8.ToArray());

        Assert.Empty(store.Engine.DropInRegistrations());
        // Nothing runs it now: its proc keeps its cursor and the new record stays unclaimed.
        var state = await store.Engine.InspectProcAsync("echo");
        Assert.Equal(state.LastAckedRange, state.LastClaimedRange);
        Assert.Equal(["before"], await store.BodiesAsync("echo-out"));
        await store.ReopenAsync();
        Assert.Empty(store.Engine.DropInRegistrations());
    }

    [Fact]
    public async Task A_replaced_dll_is_used_for_the_next_batches_and_nothing_is_lost_or_doubled()
    {
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        var dll = Samples.CopyTo("ReplaceableV1", store.Processors, "Replaceable");
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "tag", From = ["in"], To = ["out"], Processor = "Replaceable.dll" });
        await store.Engine.CommitAsync("in", "a"u8.ToArray());
        await store.WaitForProcsAsync("tag");

        var replaced = store.SyncedAsync("Replaceable.dll");
        File.Copy(Path.Combine(Samples.OutputOf("ReplaceableV2"), "Replaceable.dll"), dll, overwrite: true);
        await replaced;
        var inputs = new List<string> { "a" };
        for (var i = 0; !(await store.BodiesAsync("out")).Any(o => o.StartsWith("v2:", StringComparison.Ordinal)); i++)
        {
            Assert.True(i < 100, "the new version never ran");
            inputs.Add($"b{i}");
            await store.Engine.CommitAsync("in", Encoding.UTF8.GetBytes($"b{i}"));
            await store.WaitForProcsAsync("tag");
        }

        var outputs = await store.BodiesAsync("out");
        Assert.Equal(inputs, outputs.Select(o => o[3..])); // every input once, in order
        Assert.Equal("v1:a", outputs[0]);
        var firstV2 = outputs.ToList().FindIndex(o => o.StartsWith("v2:", StringComparison.Ordinal));
        Assert.All(outputs.Skip(firstV2), o => Assert.StartsWith("v2:", o, StringComparison.Ordinal)); // never back to the old one
    }

    [Fact]
    public async Task A_dll_that_fails_to_load_is_reported_and_does_not_stop_the_others()
    {
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        var broken = store.SyncedAsync("Broken.dll");
        var good = store.SyncedAsync("DropInEcho.dll");
        File.WriteAllText(Path.Combine(store.Processors, "Broken.dll"), "this is not an assembly");
        Samples.CopyTo("DropInEcho", store.Processors);
        await Task.WhenAll(broken, good);

        Assert.Contains(store.Watcher.Failures, f => f.Key.EndsWith("Broken.dll", StringComparison.Ordinal));
        await store.Engine.CommitAsync("echo-in", "still works"u8.ToArray());
        await store.WaitForProcsAsync("echo");
        Assert.Equal(["still works"], await store.BodiesAsync("echo-out"));
    }
}
