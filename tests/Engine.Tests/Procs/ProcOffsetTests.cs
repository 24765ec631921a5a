using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// Proc offsets: ">" from the start, "$>" only records committed after creation, a range bound =
/// start after that point (a bare timestamp: at the first record of that ms or later).
/// The seeded topic holds 1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5.
/// </summary>
public sealed class ProcOffsetTests
{
    private static readonly string[] Seeded =
        ["1000000-0", "1000000-1", "1000000-2", "1000005-3", "1000005-4", "1000010-5"];

    private static async Task<ProcStore> SeededAsync(string kind)
    {
        var store = ProcStore.Open(kind);
        var seq = 0;
        foreach (var (after, count) in new[] { (0L, 3), (5L, 2), (5L, 1) })
        {
            store.AdvanceMs(after);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(Seeded[seq], await store.Engine.CommitAsync("t", new[] { (byte)seq }));
                await store.Engine.CommitAsync("noise", new[] { (byte)seq });
                seq++;
            }
        }
        store.AdvanceMs(100);
        return store;
    }

    public static TheoryData<string, string, string> Bounds()
    {
        var rows = new (string Offset, string Expected)[]
        {
            (">", "1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            (":0", "1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            (":2", "1000005-3 1000005-4 1000010-5"),
            (":4", "1000010-5"),
            (":5", ""),
            ("1000000-0", "1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            ("1000000-2", "1000005-3 1000005-4 1000010-5"),
            ("1000005-3", "1000005-4 1000010-5"),
            ("1000010-5", ""),
            ("1000000-9", "1000005-3 1000005-4 1000010-5"),
            ("999999-99", "1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            ("0", "1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            ("999999", "1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            ("1000000", "1000000-0 1000000-1 1000000-2 1000005-3 1000005-4 1000010-5"),
            ("1000001", "1000005-3 1000005-4 1000010-5"),
            ("1000005", "1000005-3 1000005-4 1000010-5"),
            ("1000006", "1000010-5"),
            ("1000010", "1000010-5"),
            ("1000011", ""),
        };
        var data = new TheoryData<string, string, string>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            foreach (var (offset, expected) in rows) data.Add(kind, offset, expected);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task Offset_positions_the_first_claim(string kind, string offset, string expected)
    {
        await using var store = await SeededAsync(kind);

        var claimed = await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Offset = offset, Count = 100 });

        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), ProcStore.IdsOf(claimed));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Offset_at_the_last_record_claims_only_records_committed_later(string kind)
    {
        await using var store = await SeededAsync(kind);
        var options = new ProcOptions { Name = "p", Offset = ":5" };
        Assert.Empty(await store.Engine.ProcAsync("t", options));

        var next = await store.Engine.CommitAsync("t", new byte[] { 6 });

        Assert.Equal($"{store.NowMs}-6", next);
        Assert.Equal([next], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Dollar_offset_skips_records_committed_before_creation(string kind)
    {
        await using var store = await SeededAsync(kind);
        var options = new ProcOptions { Name = "p", Offset = "$>", Count = 10 };

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        store.AdvanceMs(3);
        var later = await store.CommitAsync("t", 2);

        Assert.Equal([$"{store.NowMs}-6", $"{store.NowMs}-7"], later);
        Assert.Equal(later, ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Dollar_offset_goes_by_commit_order_not_by_millisecond(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var before = await store.CommitAsync("t", 2);
        var options = new ProcOptions { Name = "p", Offset = "$>", Count = 10 };

        Assert.Empty(await store.Engine.ProcAsync("t", options));
        var after = await store.Engine.CommitAsync("t", "late"u8.ToArray());

        Assert.Equal($"{ProcStore.StartMs}-1", before[1]);
        Assert.Equal($"{ProcStore.StartMs}-2", after);
        Assert.Equal([after], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Dollar_offset_on_a_topic_never_committed_claims_its_first_record(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var options = new ProcOptions { Name = "p", Offset = "$>" };
        Assert.Empty(await store.Engine.ProcAsync("fresh", options));

        store.AdvanceMs(1);
        var first = await store.Engine.CommitAsync("fresh", "x"u8.ToArray());

        Assert.Equal([first], ProcStore.IdsOf(await store.Engine.ProcAsync("fresh", options)));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Dollar_offset_then_acks_move_on_like_any_proc(string kind)
    {
        await using var store = await SeededAsync(kind);
        var options = new ProcOptions { Name = "p", Offset = "$>" };
        Assert.Empty(await store.Engine.ProcAsync("t", options));
        var later = await store.CommitAsync("t", 3);

        foreach (var id in later)
        {
            Assert.Equal([id], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
            Assert.Equal(id, await store.Engine.AckAsync("p"));
        }
        Assert.Empty(await store.Engine.ProcAsync("t", options));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Bound_offset_then_acks_move_on_from_there(string kind)
    {
        await using var store = await SeededAsync(kind);
        var options = new ProcOptions { Name = "p", Offset = "1000000-1", Count = 2 };

        Assert.Equal(Seeded[2..4], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
        Assert.Equal($"{Seeded[2]}..{Seeded[3]}", await store.Engine.AckAsync("p"));
        Assert.Equal(Seeded[4..6], ProcStore.IdsOf(await store.Engine.ProcAsync("t", options)));
    }

    public static TheoryData<string, string> InvalidOffsets() => Kinds(
        "abc", "<", ">>", "$", "$>>", ":", ":x", ":-1", "12ab", "1000000-", "-5", "1000000-1-2", "1.5", "> ", "--");

    private static TheoryData<string, string> Kinds(params string[] rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "disk", "memory" })
        {
            foreach (var row in rows) data.Add(kind, row);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidOffsets))]
    public async Task Invalid_offset_is_invalid_range_offset_and_creates_no_proc(string kind, string offset)
    {
        await using var store = await SeededAsync(kind);

        await ProcStore.ThrowsAsync(LogEngineError.InvalidRangeOffset,
            async () => await store.Engine.ProcAsync("t", new ProcOptions { Name = "p", Offset = offset }));

        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await store.Engine.InspectProcAsync("p"));
        Assert.Equal([Seeded[0]], ProcStore.IdsOf(await store.Engine.ProcAsync("t", new ProcOptions { Name = "p" })));
    }
}
