using System.Globalization;
using System.Text.RegularExpressions;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>Ids are "&lt;ts&gt;-&lt;seq&gt;": ts from the injected clock, seq 0-based per topic, strictly increasing per topic.</summary>
public sealed partial class IdTests
{
    [GeneratedRegex("^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$")]
    private static partial Regex IdFormat();

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Id_is_clock_ms_dash_zero_based_seq(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 1_700_000_000_123);
        var first = await store.Engine.CommitAsync("t", new byte[] { 1 });
        var second = await store.Engine.CommitAsync("t", new byte[] { 2 });
        Assert.Matches(IdFormat(), first);
        Assert.Equal("1700000000123-0", first);
        Assert.Equal("1700000000123-1", second);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ts_follows_the_injected_clock(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 1000);
        var ids = new List<string> { await store.Engine.CommitAsync("t", new byte[] { 0 }) };
        store.Clock.Advance(TimeSpan.FromMilliseconds(1));
        ids.Add(await store.Engine.CommitAsync("t", new byte[] { 1 }));
        store.Clock.Advance(TimeSpan.FromSeconds(10));
        ids.Add(await store.Engine.CommitAsync("t", new byte[] { 2 }));
        Assert.Equal(["1000-0", "1001-1", "11001-2"], ids);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Seq_counts_per_topic_from_zero(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var ids = new List<string>();
        foreach (var topic in new[] { "a", "b", "a", "c", "a", "b" }) ids.Add(await store.Engine.CommitAsync(topic, new byte[] { 7 }));
        Assert.Equal(["1000-0", "1000-0", "1000-1", "1000-0", "1000-2", "1000-1"], ids);
        Assert.Equal(["1000-0", "1000-1", "1000-2"], CoreStore.IdsOf(await store.Engine.RangeAsync("a")));
        Assert.Equal(["1000-0", "1000-1"], CoreStore.IdsOf(await store.Engine.RangeAsync("b")));
        Assert.Equal(["1000-0"], CoreStore.IdsOf(await store.Engine.RangeAsync("c")));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Records_of_one_batch_share_one_ts_across_topics(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 4242);
        await store.Engine.CommitAsync("a", new byte[] { 0 });
        store.SetClock(5000);
        var ids = await store.Engine.CommitAsync([new CommitLog("a", new byte[] { 1 }), new CommitLog("b", new byte[] { 2 }), new CommitLog("a", new byte[] { 3 })]);
        Assert.Equal(["5000-1", "5000-0", "5000-2"], ids);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ids_strictly_increase_while_the_clock_stands_still(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 1000);
        var ids = new List<string>();
        for (var i = 0; i < 500; i++) ids.Add(await store.Engine.CommitAsync("t", new byte[] { (byte)i }));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"1000-{i}"), ids);
        Assert.Equal(ids, CoreStore.IdsOf(await store.Engine.RangeAsync("t")));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Ts_stays_at_the_last_value_when_the_clock_steps_back(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 1000);
        var ids = new List<string>();
        foreach (var ms in new long[] { 1000, 1000, 900, 1200, 1100, 1100, 1199, 1300, 0 })
        {
            store.SetClock(ms);
            ids.Add(await store.Engine.CommitAsync("t", new byte[] { 1 }));
        }
        Assert.Equal(["1000-0", "1000-1", "1000-2", "1200-3", "1200-4", "1200-5", "1200-6", "1300-7", "1300-8"], ids);
        Assert.Equal(ids, CoreStore.IdsOf(await store.Engine.RangeAsync("t")));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Clock_stepping_back_keeps_each_topic_at_its_own_last_ts(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 2000);
        Assert.Equal("2000-0", await store.Engine.CommitAsync("a", new byte[] { 1 }));
        store.SetClock(1500);
        Assert.Equal("2000-1", await store.Engine.CommitAsync("a", new byte[] { 2 }));
        var b = await store.Engine.CommitAsync("b", new byte[] { 3 });
        var bTs = long.Parse(b[..b.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        Assert.InRange(bTs, 1500, 2000);
        Assert.EndsWith("-0", b, StringComparison.Ordinal);
        store.SetClock(1400);
        Assert.Equal($"{bTs}-1", await store.Engine.CommitAsync("b", new byte[] { 4 }));
        Assert.Equal("2000-2", await store.Engine.CommitAsync("a", new byte[] { 5 }));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Batch_after_the_clock_steps_back_takes_the_ts_that_keeps_every_topic_increasing(string kind)
    {
        await using var store = CoreStore.Open(kind, startMs: 2000);
        Assert.Equal("2000-0", await store.Engine.CommitAsync("ahead", new byte[] { 1 }));
        store.SetClock(1500);
        var ids = await store.Engine.CommitAsync([new CommitLog("fresh", new byte[] { 2 }), new CommitLog("ahead", new byte[] { 3 })]);
        Assert.Equal(["2000-0", "2000-1"], ids);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Concurrent_commits_get_unique_contiguous_seqs(string kind)
    {
        await using var store = CoreStore.Open(kind);
        const int Writers = 8;
        const int PerWriter = 200;
        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var i = 0; i < PerWriter; i++) mine.Add(await store.Engine.CommitAsync("t", new byte[] { (byte)w, (byte)i }));
            return mine;
        }));
        var returned = (await Task.WhenAll(tasks)).SelectMany(x => x).Order(StringComparer.Ordinal);
        var read = CoreStore.IdsOf(await store.Engine.RangeAsync("t"));
        Assert.Equal(Enumerable.Range(0, Writers * PerWriter).Select(i => $"1000-{i}"), read);
        Assert.Equal(read.Order(StringComparer.Ordinal), returned);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Each_writer_sees_its_own_records_in_commit_order(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var tasks = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++) await store.Engine.CommitAsync("t", new byte[] { (byte)w, (byte)i });
        }));
        await Task.WhenAll(tasks);
        var all = await store.Engine.RangeAsync("t");
        for (var w = 0; w < 4; w++)
        {
            var mine = all.Where(e => e.Body.Span[0] == w).Select(e => (int)e.Body.Span[1]);
            Assert.Equal(Enumerable.Range(0, 100), mine);
        }
    }
}
