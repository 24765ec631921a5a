using System.Text;
using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>Bodies read back byte for byte; JSON helpers round-trip.</summary>
public sealed class BodyTests
{
    public sealed record Reading(string Sensor, double Value, int[] Tags, DateTimeOffset At);

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static TheoryData<string, int> Sizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var size in new[] { 0, 1, 2, 255, 4096, 65_537, 1024 * 1024, 1024 * 1024 + 13 }) data.Add(kind, size);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Body_round_trips_byte_exactly(string kind, int size)
    {
        await using var store = CoreStore.Open(kind);
        var body = Random(size, size);
        await store.Engine.CommitAsync("before", new byte[] { 9 });
        var id = await store.Engine.CommitAsync("t", body);
        await store.Engine.CommitAsync("after", new byte[] { 8 });
        var read = Assert.Single(await store.Engine.RangeAsync("t"));
        Assert.Equal(id, read.Id);
        Assert.Equal(body, read.Body.ToArray());
        Assert.Equal(body, Assert.Single(await store.Engine.RevRangeAsync("t")).Body.ToArray());
        if (store.Kind.IsPersistent)
        {
            await store.ReopenAsync();
            Assert.Equal(body, Assert.Single(await store.Engine.RangeAsync("t")).Body.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Every_byte_value_round_trips(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var body = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await store.Engine.CommitAsync("t", body);
        await store.Engine.CommitAsync("t", body.Reverse().ToArray());
        var read = await store.Engine.RangeAsync("t");
        Assert.Equal(body, read[0].Body.ToArray());
        Assert.Equal(body.Reverse(), read[1].Body.ToArray());
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Body_is_copied_at_commit(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var body = new byte[] { 1, 2, 3 };
        await store.Engine.CommitAsync("t", body);
        var batch = new byte[] { 4, 5, 6 };
        await store.Engine.CommitAsync([new CommitLog("t", batch)]);
        body[0] = 99;
        batch[0] = 99;
        var read = await store.Engine.RangeAsync("t");
        Assert.Equal(new byte[] { 1, 2, 3 }, read[0].Body.ToArray());
        Assert.Equal(new byte[] { 4, 5, 6 }, read[1].Body.ToArray());
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Body_of_exactly_the_maximum_size_is_accepted(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var body = Random(LogEngineOptions.MaxBodySize, 7);
        Assert.Equal("1000-0", await store.Engine.CommitAsync("t", body));
        Assert.Equal(body, Assert.Single(await store.Engine.RangeAsync("t")).Body.ToArray());
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Oversized_body_is_invalid_argument_and_creates_no_topic(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitAsync("t", new byte[LogEngineOptions.MaxBodySize + 1]));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.CommitJsonAsync("t", new string('x', LogEngineOptions.MaxBodySize)));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("t"));
        Assert.Equal("1000-0", await store.Engine.CommitAsync("t", new byte[] { 1 }));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Json_commit_round_trips_through_BodyAs(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var reading = new Reading("temp-1", 21.5, [1, 2, 3], DateTimeOffset.FromUnixTimeMilliseconds(123456));
        var id = await store.Engine.CommitJsonAsync("t", reading);
        Assert.Equal("1000-0", id);
        var entry = Assert.Single(await store.Engine.RangeAsync("t"));
        var back = entry.BodyAs<Reading>();
        Assert.NotNull(back);
        Assert.Equal(reading.Sensor, back.Sensor);
        Assert.Equal(reading.Value, back.Value);
        Assert.Equal(reading.Tags, back.Tags);
        Assert.Equal(reading.At, back.At);
        Assert.Equal(JsonSerializer.Serialize(reading), entry.BodyText);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Json_log_in_a_batch_round_trips(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var ids = await store.Engine.CommitAsync([CommitLog.Json("t", new Reading("a", 1, [], default)), CommitLog.Json("t", 42), CommitLog.Json("t", "text")]);
        Assert.Equal(["1000-0", "1000-1", "1000-2"], ids);
        var read = await store.Engine.RangeAsync("t");
        Assert.Equal("a", read[0].BodyAs<Reading>()!.Sensor);
        Assert.Equal(42, read[1].BodyAs<int>());
        Assert.Equal("text", read[2].BodyAs<string>());
        Assert.Equal("\"text\"", read[2].BodyText);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task BodyText_decodes_utf8(string kind)
    {
        await using var store = CoreStore.Open(kind);
        const string Text = "héllo wörld 😀 \u0000 end";
        await store.Engine.CommitAsync("t", Encoding.UTF8.GetBytes(Text));
        await store.Engine.CommitAsync("t", ReadOnlyMemory<byte>.Empty);
        var read = await store.Engine.RangeAsync("t");
        Assert.Equal(Text, read[0].BodyText);
        Assert.Equal("", read[1].BodyText);
        Assert.Equal(0, read[1].Body.Length);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Bodies_of_a_batch_keep_their_own_bytes(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var bodies = Enumerable.Range(0, 50).Select(i => Random(i * 37, i)).ToArray();
        await store.Engine.CommitAsync([.. bodies.Select((b, i) => new CommitLog(i % 2 == 0 ? "even" : "odd", b))]);
        var even = await store.Engine.RangeAsync("even");
        var odd = await store.Engine.RangeAsync("odd");
        Assert.Equal(bodies.Where((_, i) => i % 2 == 0).Select(b => Convert.ToHexString(b)), even.Select(e => Convert.ToHexString(e.Body.Span)));
        Assert.Equal(bodies.Where((_, i) => i % 2 == 1).Select(b => Convert.ToHexString(b)), odd.Select(e => Convert.ToHexString(e.Body.Span)));
    }
}
