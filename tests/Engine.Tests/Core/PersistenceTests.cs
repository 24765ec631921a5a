using System.Text;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Core;

/// <summary>On disk, records, ids and the id clock survive closing and reopening.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Records_and_ids_survive_reopen()
    {
        await using var store = await CoreStore.SeededAsync("disk");
        await store.ReopenAsync();
        CoreStore.AssertSeeded(CoreStore.SeedIds, await store.Engine.RangeAsync(CoreStore.Topic));
        Assert.Equal(6, await store.Engine.LengthAsync(CoreStore.Topic));
        Assert.Equal(6, await store.Engine.LengthAsync(CoreStore.Noise));
        Assert.Equal(["1005-3", "1005-4"], CoreStore.IdsOf(await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = "1005", End = "1005" })));
        Assert.Equal(["1010-5", "1005-4"], CoreStore.IdsOf(await store.Engine.RevRangeAsync(CoreStore.Topic, new RangeOptions { Limit = 2 })));
        Assert.Equal(["1000-2"], CoreStore.IdsOf(await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = ":2", End = ":2" })));
    }

    [Fact]
    public async Task Seqs_continue_after_reopen()
    {
        await using var store = CoreStore.Open("disk");
        await store.Engine.CommitAsync("a", new byte[] { 0 });
        await store.Engine.CommitAsync("a", new byte[] { 1 });
        await store.Engine.CommitAsync("b", new byte[] { 0 });
        await store.ReopenAsync(clockMs: 2000);
        Assert.Equal("2000-2", await store.Engine.CommitAsync("a", new byte[] { 2 }));
        Assert.Equal(["2000-1", "2000-3"], await store.Engine.CommitAsync([new CommitLog("b", new byte[] { 1 }), new CommitLog("a", new byte[] { 3 })]));
        Assert.Equal("2000-0", await store.Engine.CommitAsync("c", new byte[] { 0 }));
        await store.ReopenAsync(clockMs: 3000);
        Assert.Equal(["1000-0", "1000-1", "2000-2", "2000-3"], CoreStore.IdsOf(await store.Engine.RangeAsync("a")));
        Assert.Equal("3000-4", await store.Engine.CommitAsync("a", new byte[] { 4 }));
    }

    [Fact]
    public async Task Ts_stays_monotonic_across_reopen_with_an_earlier_clock()
    {
        using var dir = new TempDirectory();
        var late = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(5000));
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { TimeProvider = late }))
        {
            Assert.Equal("5000-0", await engine.CommitAsync("t", new byte[] { 0 }));
            Assert.Equal("5000-0", await engine.CommitAsync("u", new byte[] { 0 }));
        }

        var early = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1000));
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { TimeProvider = early }))
        {
            Assert.Equal("5000-1", await engine.CommitAsync("t", new byte[] { 1 }));
            Assert.Equal(["5000-2", "5000-1"], await engine.CommitAsync([new CommitLog("t", new byte[] { 2 }), new CommitLog("u", new byte[] { 1 })]));
            early.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(6000));
            Assert.Equal("6000-3", await engine.CommitAsync("t", new byte[] { 3 }));
        }

        var earlier = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10));
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { TimeProvider = earlier }))
        {
            Assert.Equal("6000-4", await engine.CommitAsync("t", new byte[] { 4 }));
            Assert.Equal(["5000-0", "5000-1", "5000-2", "6000-3", "6000-4"], CoreStore.IdsOf(await engine.RangeAsync("t")));
            Assert.Equal(["5000-0", "5000-1"], CoreStore.IdsOf(await engine.RangeAsync("u")));
        }
    }

    [Fact]
    public async Task Bodies_of_many_topics_survive_several_reopens()
    {
        await using var store = CoreStore.Open("disk");
        var expected = new Dictionary<string, List<string>>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                var topic = $"topic-{i % 7}";
                var text = $"round {round} record {i}";
                await store.Engine.CommitAsync(topic, Encoding.UTF8.GetBytes(text));
                if (!expected.TryGetValue(topic, out var list)) expected[topic] = list = [];
                list.Add(text);
            }
            await store.ReopenAsync(clockMs: 1000 + round);
            foreach (var (topic, texts) in expected)
            {
                Assert.Equal(texts, (await store.Engine.RangeAsync(topic)).Select(e => e.BodyText));
                Assert.Equal(texts.Count, await store.Engine.LengthAsync(topic));
            }
        }
    }

    [Fact]
    public async Task Never_committed_topic_stays_invalid_after_reopen()
    {
        await using var store = await CoreStore.SeededAsync("disk");
        await store.ReopenAsync();
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.RangeAsync("never"));
    }

    [Fact]
    public async Task Reopening_an_empty_store_works()
    {
        await using var store = CoreStore.Open("disk");
        await store.ReopenAsync();
        await store.ReopenAsync();
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("t"));
        Assert.Equal("1000-0", await store.Engine.CommitAsync("t", new byte[] { 1 }));
    }

    [Fact]
    public async Task In_memory_stores_are_independent()
    {
        await using var a = LogEngine.OpenInMemory();
        await using var b = LogEngine.OpenInMemory();
        await a.CommitAsync("t", new byte[] { 1 });
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await b.LengthAsync("t"));
    }
}
