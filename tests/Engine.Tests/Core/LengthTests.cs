using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>LengthAsync counts the records of a topic.</summary>
public sealed class LengthTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Length_counts_single_commits(string kind)
    {
        await using var store = CoreStore.Open(kind);
        for (var i = 1; i <= 10; i++)
        {
            await store.Engine.CommitAsync("t", new byte[] { (byte)i });
            Assert.Equal(i, await store.Engine.LengthAsync("t"));
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Length_counts_batch_records_per_topic(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync([new CommitLog("a", new byte[] { 1 }), new CommitLog("b", new byte[] { 2 }), new CommitLog("a", new byte[] { 3 })]);
        await store.Engine.CommitAsync("a", new byte[] { 4 });
        Assert.Equal(3, await store.Engine.LengthAsync("a"));
        Assert.Equal(1, await store.Engine.LengthAsync("b"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Length_matches_the_records_a_range_returns(string kind)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        Assert.Equal(6, await store.Engine.LengthAsync(CoreStore.Topic));
        Assert.Equal(6, await store.Engine.LengthAsync(CoreStore.Noise));
        Assert.Equal((await store.Engine.RangeAsync(CoreStore.Topic)).Count, await store.Engine.LengthAsync(CoreStore.Topic));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Length_counts_empty_bodies(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("t", ReadOnlyMemory<byte>.Empty);
        await store.Engine.CommitAsync([new CommitLog("t", ReadOnlyMemory<byte>.Empty), new CommitLog("t", ReadOnlyMemory<byte>.Empty)]);
        Assert.Equal(3, await store.Engine.LengthAsync("t"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Failed_commits_do_not_count(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("t", new byte[] { 1 });
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync("t", new byte[LogEngineOptions.MaxBodySize + 1]));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync([new CommitLog("t", new byte[] { 2 }), new CommitLog("", new byte[] { 3 })]));
        Assert.Equal(1, await store.Engine.LengthAsync("t"));
    }
}
