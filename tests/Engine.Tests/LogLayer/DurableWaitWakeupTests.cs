using Engine.Tests.Support;

namespace Engine.Tests.LogLayer;

/// <summary>
/// Under Always, a commit that starts waiting while a sync already covering its bytes is in
/// progress (a checkpoint's SyncNow, on another thread) still completes. It waits on the completion
/// that sync had just swapped in, which that sync does not complete; the flusher thread must run a
/// cycle for it although nothing new was written (it did not, and the commit hung: found by the
/// fault-injection crash loops as a hang).
/// </summary>
public sealed class DurableWaitWakeupTests
{
    [Fact]
    public async Task A_commit_that_waits_while_a_sync_covering_it_is_in_progress_completes()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        await using var engine = LogEngine.OpenOn(medium, new LogEngineOptions { Durability = Durability.Always, Workers = 0, CheckpointInterval = TimeSpan.FromHours(1) });
        var store = engine.Store;
        var receipt = store.Commit([new CommitLog("t", "covered"u8.ToArray())]); // written, not yet waited for
        using var gate = new ManualResetEventSlim();
        medium.HoldNextSegmentFlush = gate;
        var sync = Task.Run(store.SyncNow); // swaps in a new completion, reads the written end (our record), fsyncs: held
        await medium.FlushHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var waiting = store.WaitDurableAsync(receipt).AsTask(); // not durable yet: waits on the completion the held sync swapped in
        gate.Set();
        await sync.WaitAsync(TimeSpan.FromSeconds(30));

        await waiting.WaitAsync(TimeSpan.FromSeconds(30)); // timed out here before the fix: nothing completed that completion
        Assert.Equal(["covered"], (await engine.RangeAsync("t")).Select(e => e.BodyText));
    }
}
