namespace Engine.Tests.Core;

/// <summary>Limit: -1 or 0 = no limit; a positive limit keeps the first records of the walk.</summary>
public sealed class LimitTests
{
    public static TheoryData<string, string, int, string> Cases()
    {
        var rows = new (string Direction, int Limit, string Expected)[]
        {
            ("forward", -1, "1000-0 1000-1 1000-2 1005-3 1005-4 1010-5"),
            ("forward", 0, "1000-0 1000-1 1000-2 1005-3 1005-4 1010-5"),
            ("forward", 1, "1000-0"),
            ("forward", 2, "1000-0 1000-1"),
            ("forward", 6, "1000-0 1000-1 1000-2 1005-3 1005-4 1010-5"),
            ("forward", 100, "1000-0 1000-1 1000-2 1005-3 1005-4 1010-5"),
            ("reverse", -1, "1010-5 1005-4 1005-3 1000-2 1000-1 1000-0"),
            ("reverse", 0, "1010-5 1005-4 1005-3 1000-2 1000-1 1000-0"),
            ("reverse", 1, "1010-5"),
            ("reverse", 2, "1010-5 1005-4"),
            ("reverse", 100, "1010-5 1005-4 1005-3 1000-2 1000-1 1000-0"),
        };
        var data = new TheoryData<string, string, int, string>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var row in rows) data.Add(kind, row.Direction, row.Limit, row.Expected);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Limit_keeps_the_first_records_of_the_walk(string kind, string direction, int limit, string expected)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        var options = new RangeOptions { Limit = limit };
        var read = direction == "forward"
            ? await store.Engine.RangeAsync(CoreStore.Topic, options)
            : await store.Engine.RevRangeAsync(CoreStore.Topic, options);
        CoreStore.AssertSeeded(CoreStore.Split(expected), read);
    }

    public static TheoryData<string, string?, string?, bool, string> ForwardWithBounds => Kinds.With(
        (":1", null, false, "1000-1 1000-2"),
        (":1", null, true, "1000-2 1005-3"),
        ("1005", null, false, "1005-3 1005-4"),
        ("1000", null, true, "1005-3 1005-4"),
        ("1000-1", "1000-2", false, "1000-1 1000-2"),
        ("1005-4", null, false, "1005-4 1010-5"),
        ("1010", null, false, "1010-5"),
        ("1005", "1000", false, ""));

    [Theory]
    [MemberData(nameof(ForwardWithBounds))]
    public async Task Limit_applies_after_the_bounds_forward(string kind, string? start, string? end, bool exclusive, string expected)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        var read = await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = start, End = end, Exclusive = exclusive, Limit = 2 });
        CoreStore.AssertSeeded(CoreStore.Split(expected), read);
    }

    public static TheoryData<string, string?, string?, bool, string> ReverseWithBounds => Kinds.With(
        (":4", null, false, "1005-4 1005-3"),
        (":4", null, true, "1005-3 1000-2"),
        ("1005", null, false, "1005-4 1005-3"),
        ("1005", null, true, "1000-2 1000-1"),
        (null, "1005", false, "1010-5 1005-4"),
        ("1000", null, false, "1000-2 1000-1"),
        ("1000-0", null, false, "1000-0"),
        ("1000", "1005", false, ""));

    [Theory]
    [MemberData(nameof(ReverseWithBounds))]
    public async Task Limit_applies_after_the_bounds_in_reverse(string kind, string? start, string? end, bool exclusive, string expected)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        var read = await store.Engine.RevRangeAsync(CoreStore.Topic, new RangeOptions { Start = start, End = end, Exclusive = exclusive, Limit = 2 });
        CoreStore.AssertSeeded(CoreStore.Split(expected), read);
    }

    [Theory]
    [MemberData(nameof(StoreKindsOnly))]
    public async Task Paging_by_exclusive_start_walks_every_record_once(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            if (i % 4 == 0) store.Clock.Advance(TimeSpan.FromMilliseconds(1));
            ids.Add(await store.Engine.CommitAsync("t", new byte[] { (byte)i }));
        }

        var forward = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await store.Engine.RangeAsync("t", new RangeOptions { Start = after, Exclusive = after is not null, Limit = 3 });
            if (page.Count == 0) break;
            forward.AddRange(CoreStore.IdsOf(page));
            after = page[^1].Id;
        }
        Assert.Equal(ids, forward);

        var backward = new List<string>();
        string? before = null;
        while (true)
        {
            var page = await store.Engine.RevRangeAsync("t", new RangeOptions { Start = before, Exclusive = before is not null, Limit = 4 });
            if (page.Count == 0) break;
            backward.AddRange(CoreStore.IdsOf(page));
            before = page[^1].Id;
        }
        ids.Reverse();
        Assert.Equal(ids, backward);
    }

    public static TheoryData<string> StoreKindsOnly => Support.StoreKind.All;
}
