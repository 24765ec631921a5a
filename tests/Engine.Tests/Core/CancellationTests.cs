using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>An already-cancelled token stops a call before it does anything.</summary>
public sealed class CancellationTests
{
    private static readonly string[] Operations =
        ["CommitAsync", "CommitJsonAsync", "CommitAsync(list)", "RangeAsync", "RevRangeAsync", "LengthAsync"];

    public static TheoryData<string, string> Cases() => Kinds.With(Operations);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cancelled_token_throws_operation_canceled_and_writes_nothing(string kind, string operation)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("t", new byte[] { 0 });
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClosedTests.Run(store.Engine, operation, "t", cts.Token));

        if (store.Kind.IsPersistent) await store.ReopenAsync();
        Assert.Equal(1, await store.Engine.LengthAsync("t"));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("fresh"));
        Assert.Equal("1000-1", await store.Engine.CommitAsync("t", new byte[] { 1 }));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Cancelled_commit_to_a_new_topic_does_not_create_it(string kind)
    {
        await using var store = CoreStore.Open(kind);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.Engine.CommitAsync("new", new byte[] { 1 }, cts.Token));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.RangeAsync("new"));
    }

    [Fact]
    public async Task A_cancelled_token_stops_a_client_call_before_the_host_acts_on_it()
    {
        // LogClient's own calls (shutdown, GC, stats) check the token before sending: a cancelled
        // shutdown must not stop the host.
        using var dir = new TempDirectory();
        await using var hosted = (HostedClient)StoreKind.Ipc.Open(dir);
        await hosted.CommitAsync("t", new byte[] { 1 });
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await hosted.Client.ShutdownAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await hosted.Client.CollectGarbageAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await hosted.Client.GetStatsAsync(cts.Token));

        Assert.Equal(1, await hosted.LengthAsync("t"));
        await using var second = await Engine.Ipc.LogClient.ConnectAsync(new Engine.Ipc.ConnectOptions { Socket = hosted.Client.Address, Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(1, await second.LengthAsync("t"));
    }
}
