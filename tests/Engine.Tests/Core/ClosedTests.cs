using Engine.Ipc.Protocol;
using Engine.Ipc.Server;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>After DisposeAsync every call throws Closed.</summary>
public sealed class ClosedTests
{
    private static readonly string[] Operations =
        ["CommitAsync", "CommitJsonAsync", "CommitAsync(list)", "RangeAsync", "RevRangeAsync", "LengthAsync", "CollectGarbageAsync"];

    public static TheoryData<string, string> Cases() => Kinds.With(Operations);

    internal static async Task Run(ILogClient engine, string operation, string topic, CancellationToken ct = default)
    {
        switch (operation)
        {
            case "CommitAsync": await engine.CommitAsync(topic, new byte[] { 1 }, ct); break;
            case "CommitJsonAsync": await engine.CommitJsonAsync(topic, new { A = 1 }, ct); break;
            case "CommitAsync(list)": await engine.CommitAsync([new CommitLog(topic, new byte[] { 1 }), new CommitLog("fresh", new byte[] { 2 })], ct); break;
            case "RangeAsync": await engine.RangeAsync(topic, null, ct); break;
            case "RevRangeAsync": await engine.RevRangeAsync(topic, null, ct); break;
            case "LengthAsync": await engine.LengthAsync(topic, ct); break;
            case "CollectGarbageAsync": await engine.CollectGarbageAsync(ct); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Call_after_dispose_is_closed(string kind, string operation)
    {
        using var dir = new TempDirectory();
        var engine = StoreKind.Named(kind).Open(dir);
        await engine.CommitAsync("t", new byte[] { 1 });
        await engine.DisposeAsync();
        await CoreStore.ThrowsAsync(LogEngineError.Closed, () => Run(engine, operation, "t"));
        await CoreStore.ThrowsAsync(LogEngineError.Closed, () => Run(engine, operation, "never"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Disposing_twice_is_harmless(string kind)
    {
        using var dir = new TempDirectory();
        var engine = StoreKind.Named(kind).Open(dir);
        await engine.CommitAsync("t", new byte[] { 1 });
        await engine.DisposeAsync();
        await engine.DisposeAsync();
        await CoreStore.ThrowsAsync(LogEngineError.Closed, async () => await engine.LengthAsync("t"));
    }

    [Fact]
    public async Task Commit_after_dispose_writes_nothing_to_disk()
    {
        using var dir = new TempDirectory();
        var engine = LogEngine.Open(dir.Path);
        await engine.CommitAsync("t", new byte[] { 1 });
        await engine.DisposeAsync();
        await CoreStore.ThrowsAsync(LogEngineError.Closed, async () => await engine.CommitAsync("t", new byte[] { 2 }));
        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal(1, await reopened.LengthAsync("t"));
    }

    [Fact]
    public async Task Collecting_garbage_on_a_host_whose_engine_is_closed_answers_Closed()
    {
        // What the host's dispatcher does with a CollectGarbage request once its engine is closed
        // (a request racing the host's shutdown): the client must read Closed, not Internal.
        var engine = LogEngine.OpenInMemory();
        await engine.DisposeAsync();
        var dispatcher = new RequestDispatcher(engine, () => ValueTask.CompletedTask);
        var result = new WireWriter(new System.Buffers.ArrayBufferWriter<byte>());

        var error = await Assert.ThrowsAsync<LogEngineException>(async () =>
            await dispatcher.HandleAsync(Op.CollectGarbage, new WireReader(ReadOnlyMemory<byte>.Empty), result, null!, CancellationToken.None));

        Assert.Equal(LogEngineError.Closed, error.Code);
    }
}
