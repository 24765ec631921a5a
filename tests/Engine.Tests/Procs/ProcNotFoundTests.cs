namespace Engine.Tests.Procs;

/// <summary>Unknown proc names throw ProcNotFound, and nothing is written.</summary>
public sealed class ProcNotFoundTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            foreach (var operation in ProcCalls.ByName) data.Add(kind, operation);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Unknown_name_is_proc_not_found(string kind, string operation)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "known" }));

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, () => ProcCalls.Run(store.Engine, operation, "unknown"));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("unknown"));
        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("known")).Status);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Unknown_name_is_proc_not_found_on_an_engine_without_procs(string kind, string operation)
    {
        await using var store = ProcStore.Open(kind);

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, () => ProcCalls.Run(store.Engine, operation, "unknown"));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
    }
}
