using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>A list commit is atomic and ordered: every record or none, ids in input order.</summary>
public sealed class BatchCommitTests
{
    private static CommitLog Log(string topic, string text) => new(topic, Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Batch_returns_ids_in_input_order_across_mixed_topics(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("b", new byte[] { 0 });
        var ids = await store.Engine.CommitAsync([Log("a", "a0"), Log("b", "b1"), Log("a", "a1"), Log("c", "c0"), Log("b", "b2")]);
        Assert.Equal(["1000-0", "1000-1", "1000-1", "1000-0", "1000-2"], ids);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Batch_records_read_back_in_input_order_per_topic(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync([Log("a", "a0"), Log("b", "b0"), Log("a", "a1"), Log("a", "a2"), Log("b", "b1")]);
        Assert.Equal(["a0", "a1", "a2"], (await store.Engine.RangeAsync("a")).Select(e => e.BodyText));
        Assert.Equal(["b0", "b1"], (await store.Engine.RangeAsync("b")).Select(e => e.BodyText));
        Assert.Equal(3, await store.Engine.LengthAsync("a"));
        Assert.Equal(2, await store.Engine.LengthAsync("b"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Batch_of_one_record_is_like_a_single_commit(string kind)
    {
        await using var store = CoreStore.Open(kind);
        Assert.Equal(["1000-0"], await store.Engine.CommitAsync([Log("a", "x")]));
        Assert.Equal("1000-1", await store.Engine.CommitAsync("a", Encoding.UTF8.GetBytes("y")));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Large_batch_commits_every_record_with_contiguous_seqs(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("t", new byte[] { 1 });
        var logs = Enumerable.Range(0, 5000).Select(i => Log("t", $"r{i}")).ToArray();
        var ids = await store.Engine.CommitAsync(logs);
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => $"1000-{i}"), ids);
        var read = await store.Engine.RangeAsync("t", new RangeOptions { Start = ":1" });
        Assert.Equal(ids, CoreStore.IdsOf(read));
        Assert.Equal(logs.Select(l => Encoding.UTF8.GetString(l.Body.Span)), read.Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Empty_batch_is_invalid_argument(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync(Array.Empty<CommitLog>()));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Null_batch_is_invalid_argument(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync((IReadOnlyList<CommitLog>)null!));
    }

    public static TheoryData<string, string, int> BadElements()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var bad in new[] { "empty topic", "null topic", "256-byte topic", "control char topic", "oversized body" })
            {
                foreach (var position in new[] { 0, 2, 4 }) data.Add(kind, bad, position);
            }
        }
        return data;
    }

    private static CommitLog BadLog(string bad) => bad switch
    {
        "empty topic" => Log("", "x"),
        "null topic" => default,
        "256-byte topic" => Log(new string('t', 256), "x"),
        "control char topic" => Log("a\nb", "x"),
        "oversized body" => new CommitLog("fresh2", new byte[LogEngineOptions.MaxBodySize + 1]),
        _ => throw new ArgumentOutOfRangeException(nameof(bad)),
    };

    [Theory]
    [MemberData(nameof(BadElements))]
    public async Task Batch_with_one_invalid_element_writes_nothing(string kind, string bad, int position)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("a", Encoding.UTF8.GetBytes("before"));
        var logs = new List<CommitLog> { Log("a", "a1"), Log("fresh", "f0"), Log("a", "a2"), Log("fresh", "f1") };
        logs.Insert(position, BadLog(bad));

        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync(logs));

        Assert.Equal(1, await store.Engine.LengthAsync("a"));
        Assert.Equal(["before"], (await store.Engine.RangeAsync("a")).Select(e => e.BodyText));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("fresh"));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("fresh2"));
        // no seq was spent by the failed batch
        Assert.Equal(["1000-1", "1000-0"], await store.Engine.CommitAsync([Log("a", "after"), Log("fresh", "f")]));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Failed_batch_leaves_nothing_behind_after_reopen(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("a", Encoding.UTF8.GetBytes("before"));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () =>
            await store.Engine.CommitAsync([Log("a", "a1"), Log("fresh", "f0"), new CommitLog("a", new byte[LogEngineOptions.MaxBodySize + 1])]));
        if (store.Kind.IsPersistent) await store.ReopenAsync();
        Assert.Equal(["1000-0"], CoreStore.IdsOf(await store.Engine.RangeAsync("a")));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.RangeAsync("fresh"));
    }
}
