using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>After DisposeAsync every proc call throws Closed.</summary>
public sealed class ProcClosedTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            foreach (var operation in (string[])[.. ProcCalls.ByName, "ProcAsync", "WaitForProcsAsync"]) data.Add(kind, operation);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Proc_call_after_dispose_is_closed(string kind, string operation)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 2);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await store.Engine.DisposeAsync();

        await ProcStore.ThrowsAsync(LogEngineError.Closed, () => ProcCalls.Run(store.Engine, operation, "p"));
        await ProcStore.ThrowsAsync(LogEngineError.Closed, () => ProcCalls.Run(store.Engine, operation, "never-created"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Wait_for_all_procs_after_dispose_is_closed(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.Engine.DisposeAsync();

        await ProcStore.ThrowsAsync(LogEngineError.Closed, async () => await store.Engine.WaitForProcsAsync());
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Making_a_live_proc_after_dispose_is_closed(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.Engine.DisposeAsync();

        ProcStore.Throws(LogEngineError.Closed, () => store.Engine.LiveProc("t"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Live_proc_calls_after_the_engine_is_disposed_are_closed(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        var live = store.Engine.LiveProc("t", LiveMode.All, 1);
        await store.Engine.DisposeAsync();

        await ProcStore.ThrowsAsync(LogEngineError.Closed, async () => await live.AckAsync());
        await ProcStore.ThrowsAsync(LogEngineError.Closed, async () => await live.InspectAsync());
        await ProcStore.ThrowsAsync(LogEngineError.Closed, async () => await live.ReclaimAsync());
        await live.DisposeAsync();
    }
}
