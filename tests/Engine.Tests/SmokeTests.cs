using Engine.Tests.Support;

namespace Engine.Tests;

public sealed class SmokeTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Committed_records_read_back_in_order(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).Open(dir);
        var ids = new List<string>();
        for (var i = 0; i < 1000; i++) ids.Add(await engine.CommitAsync("t", new byte[] { (byte)i, 1, 2, 3 }));
        var all = await engine.RangeAsync("t");
        Assert.Equal(1000, all.Count);
        Assert.Equal(ids, all.Select(e => e.Id));
        Assert.Equal(unchecked((byte)999), all[^1].Body.Span[0]);
        Assert.Equal(1000, await engine.LengthAsync("t"));
    }
}
