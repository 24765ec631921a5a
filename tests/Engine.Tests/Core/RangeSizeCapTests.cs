using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// One range answer takes at most <see cref="LogEngineOptions.MaxRangeBytes"/> of memory: a call
/// whose answer would be larger fails with InvalidArgument naming the limit (nothing truncated
/// silently, nothing changed), and the same records read in pages come back whole. In-process and
/// over IPC alike.
/// </summary>
public sealed class RangeSizeCapTests
{
    private static readonly LogEngineOptions Capped = new() { MaxRangeBytes = LogEngineOptions.MinRangeBytes };

    /// <summary>Two of these exceed the smallest cap; one fits.</summary>
    private static readonly byte[] Body = new byte[9 * 1024 * 1024];

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_range_larger_than_the_cap_fails_with_InvalidArgument_and_pages_within_it_succeed(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).Open(dir, Capped);
        Body.AsSpan().Fill(7);
        var ids = await engine.CommitAsync([new CommitLog("big", Body), new CommitLog("big", Body), new CommitLog("big", Body)]);

        var error = await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await engine.RangeAsync("big"));
        Assert.Contains("MaxRangeBytes", error.Message, StringComparison.Ordinal);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await engine.RevRangeAsync("big", new RangeOptions { Limit = 2 }));

        for (var seq = 0; seq < ids.Count; seq++)
        {
            var page = await engine.RangeAsync("big", new RangeOptions { Start = $":{seq}", Limit = 1 });
            Assert.Equal(ids[seq], Assert.Single(page).Id);
            Assert.True(page[0].Body.Span.SequenceEqual(Body));
        }
        Assert.Equal(ids[^1], Assert.Single(await engine.RevRangeAsync("big", new RangeOptions { Limit = 1 })).Id);
        Assert.Equal(3, await engine.LengthAsync("big"));
    }

    [Fact]
    public void A_cap_smaller_than_one_largest_body_is_refused()
    {
        var error = Assert.Throws<LogEngineException>(() => new LogEngineOptions { MaxRangeBytes = 1024 });
        Assert.Equal(LogEngineError.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task Many_small_records_count_their_overhead_against_the_cap()
    {
        await using var engine = LogEngine.OpenInMemory(Capped);
        var records = (int)(LogEngineOptions.MinRangeBytes / LogEngineOptions.RangeRecordOverhead) + 1;
        await engine.CommitAsync([.. Enumerable.Range(0, records).Select(_ => new CommitLog("many", ReadOnlyMemory<byte>.Empty))]);

        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await engine.RangeAsync("many"));
        Assert.Equal(records - 1, (await engine.RangeAsync("many", new RangeOptions { Limit = records - 1 })).Count);
    }
}
