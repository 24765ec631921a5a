using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// Topic and proc names are 1–255 UTF-8 bytes with no control characters; anything else is
/// InvalidArgument, for every call that takes a name, and nothing is written.
/// </summary>
public sealed class ProcNameValidationTests
{
    private static readonly string[] BadNames =
        ["", "a\nb", "tab\there", "nul\0", "del\u007f", new string('x', 256), new string('é', 128)];

    private static readonly string[] Operations = [.. ProcCalls.ByName, "WaitForProcsAsync"];

    public static TheoryData<string, int> BadNameCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            for (var i = 0; i < BadNames.Length; i++) data.Add(kind, i);
        }
        return data;
    }

    public static TheoryData<string, string, int> OperationCases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            foreach (var operation in Operations)
            {
                for (var i = 0; i < BadNames.Length; i++) data.Add(kind, operation, i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadNameCases))]
    public async Task Proc_async_with_an_invalid_proc_name_is_invalid_argument(string kind, int bad)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 1);

        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument,
            async () => await store.Engine.ProcAsync("t", new ProcOptions { Name = BadNames[bad] }));

        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "ok" })));
    }

    [Theory]
    [MemberData(nameof(BadNameCases))]
    public async Task Proc_async_with_an_invalid_topic_name_is_invalid_argument_and_creates_no_proc(string kind, int bad)
    {
        await using var store = ProcStore.Open(kind);

        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument,
            async () => await store.Engine.ProcAsync(BadNames[bad], new ProcOptions { Name = "p" }));

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("p"));
    }

    [Theory]
    [MemberData(nameof(BadNameCases))]
    public async Task Live_proc_on_an_invalid_topic_name_is_invalid_argument(string kind, int bad)
    {
        await using var store = ProcStore.Open(kind);

        ProcStore.Throws(LogEngineError.InvalidArgument, () => store.Engine.LiveProc(BadNames[bad]));
    }

    [Theory]
    [MemberData(nameof(OperationCases))]
    public async Task Calls_naming_an_invalid_proc_name_are_invalid_argument(string kind, string operation, int bad)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 1);

        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument, () => ProcCalls.Run(store.Engine, operation, BadNames[bad]));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Names_of_255_bytes_are_accepted(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var topic = new string('t', 255);
        var name = new string('é', 127) + "p";
        var ids = await store.CommitAsync(topic, 1);

        Assert.Equal(ids, ProcStore.IdsOf(await store.Engine.ProcAsync(topic, new ProcOptions { Name = name })));
        Assert.Equal(ids[0], await store.Engine.AckAsync(name));
        var state = await store.Engine.InspectProcAsync(name);
        Assert.Equal(name, state.Name);
        Assert.Equal(topic, state.Topic);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ack_commit_to_an_invalid_topic_is_invalid_argument_and_does_not_ack(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 2);
        Assert.Equal([ids[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" })));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument,
            async () => await store.Engine.AckCommitAsync("p", [new CommitLog("out", "a"u8.ToArray()), new CommitLog("", "b"u8.ToArray())]));

        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
        Assert.Equal("", (await store.Engine.InspectProcAsync("p")).LastAckedRange);
        Assert.Equal(ids[0], await store.Engine.AckAsync("p"));
    }
}
