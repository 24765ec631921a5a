using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// A call whose token is cancelled throws <see cref="OperationCanceledException"/>, never
/// <see cref="LogEngineError.Timeout"/>, in-process and over IPC alike: before it starts (and then
/// it changes nothing), and while it waits (a live proc's next batch, WaitForProcs).
/// </summary>
public sealed class ProcCancellationTests
{
    private static readonly string[] Operations =
    [
        "ProcAsync", "AckAsync", "AckCommitAsync", "ReclaimProcAsync", "InspectProcAsync", "DestroyProcAsync",
        "DisableProcAsync", "ResumeProcAsync", "SystemProcAsync", "WaitForProcsAsync", "CollectGarbageAsync",
        "LiveProc.AckAsync", "LiveProc.ChangesAsync",
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "disk", "memory", "ipc" })
            foreach (var operation in Operations) data.Add(kind, operation);
        return data;
    }

    private static async Task RunAsync(ILogClient engine, string operation, LiveProc live, CancellationToken ct)
    {
        switch (operation)
        {
            case "ProcAsync": await engine.ProcAsync("t", new ProcOptions { Name = "p" }, ct); break;
            case "AckAsync": await engine.AckAsync("p", ct); break;
            case "AckCommitAsync": await engine.AckCommitAsync("p", [new CommitLog("out", new byte[] { 1 })], ct); break;
            case "ReclaimProcAsync": await engine.ReclaimProcAsync("p", ct); break;
            case "InspectProcAsync": await engine.InspectProcAsync("p", ct); break;
            case "DestroyProcAsync": await engine.DestroyProcAsync("p", ct); break;
            case "DisableProcAsync": await engine.DisableProcAsync("p", ct); break;
            case "ResumeProcAsync": await engine.ResumeProcAsync("p", ct); break;
            case "SystemProcAsync":
                await engine.SystemProcAsync(new SystemProcOptions { Name = "s", From = ["t"], InlineProcessor = (logs, _) => new(Array.Empty<ReadOnlyMemory<byte>>()) }, ct);
                break;
            case "WaitForProcsAsync": await engine.WaitForProcsAsync(["p"], ct); break;
            case "CollectGarbageAsync": await engine.CollectGarbageAsync(ct); break;
            case "LiveProc.AckAsync": await live.AckAsync(ct); break;
            case "LiveProc.ChangesAsync": await foreach (var _ in live.ChangesAsync(ct)) break; break;
            default: throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_cancelled_token_throws_operation_canceled_and_changes_nothing(string kind, string operation)
    {
        await using var store = ProcStore.Open(kind);
        await store.CommitAsync("t", 3);
        Assert.Single(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" }));
        await using var live = store.Engine.LiveProc("t");
        var before = await store.Engine.InspectProcAsync("p");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var error = await Record.ExceptionAsync(() => RunAsync(store.Engine, operation, live, cts.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(before, await store.Engine.InspectProcAsync("p"));
        await ProcStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("out"));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("s"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancelling_a_live_proc_waiting_for_records_throws_operation_canceled(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("empty");
        using var cts = new CancellationTokenSource();
        var waiting = Task.Run(async () =>
        {
            await foreach (var _ in live.ChangesAsync(cts.Token)) return;
        });
        Assert.False(waiting.IsCompleted);

        await cts.CancelAsync();

        var error = await Record.ExceptionAsync(() => waiting.WaitAsync(ProcStore.Guard));
        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_claim_abandoned_by_cancelling_is_not_left_claimed(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await using var live = store.Engine.LiveProc("t");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in live.ChangesAsync(cts.Token)) return;
        });
        await store.CommitAsync("t", 1);

        using var guard = new CancellationTokenSource(ProcStore.Guard);
        await foreach (var batch in live.ChangesAsync(guard.Token))
        {
            Assert.Single(batch);
            break;
        }
    }
}
