namespace Engine.Tests.Core;

/// <summary>
/// Reverse ranges over the seeded topic (1000-0 1000-1 1000-2 1005-3 1005-4 1010-5): newest first,
/// Start is the newer bound (Start >= End), every rule of the forward range mirrored.
/// </summary>
public sealed class RevRangeTests
{
    private const string All = "1010-5 1005-4 1005-3 1000-2 1000-1 1000-0";

    private static async Task AssertRevRange(string kind, string? start, string? end, bool exclusive, string expected)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        var read = await store.Engine.RevRangeAsync(CoreStore.Topic, new RangeOptions { Start = start, End = end, Exclusive = exclusive });
        CoreStore.AssertSeeded(CoreStore.Split(expected), read);
    }

    public static TheoryData<string> StoreKindsOnly => Support.StoreKind.All;

    [Theory]
    [MemberData(nameof(StoreKindsOnly))]
    public async Task No_options_reads_the_whole_topic_newest_first(string kind)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        CoreStore.AssertSeeded(CoreStore.Split(All), await store.Engine.RevRangeAsync(CoreStore.Topic));
        CoreStore.AssertSeeded(CoreStore.Split(All), await store.Engine.RevRangeAsync(CoreStore.Topic, new RangeOptions()));
    }

    public static TheoryData<string, string?, string?, bool, string> OpenBounds => Kinds.With(
        (null, null, false, All),
        ("", "", false, All),
        ("", null, false, All),
        (null, "", false, All),
        (null, null, true, All),
        ("", "", true, All));

    [Theory]
    [MemberData(nameof(OpenBounds))]
    public Task Absent_or_empty_bounds_are_open_ends(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareStartTimestamp => Kinds.With(
        ("0", null, false, ""),
        ("999", null, false, ""),
        ("1000", null, false, "1000-2 1000-1 1000-0"),
        ("1003", null, false, "1000-2 1000-1 1000-0"),
        ("1005", null, false, "1005-4 1005-3 1000-2 1000-1 1000-0"),
        ("1010", null, false, All),
        ("1011", null, false, All),
        ("9223372036854775807", null, false, All));

    [Theory]
    [MemberData(nameof(BareStartTimestamp))]
    public Task Bare_start_timestamp_covers_its_whole_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareStartTimestampExclusive => Kinds.With(
        ("1000", null, true, ""),
        ("1003", null, true, "1000-2 1000-1 1000-0"),
        ("1005", null, true, "1000-2 1000-1 1000-0"),
        ("1010", null, true, "1005-4 1005-3 1000-2 1000-1 1000-0"),
        ("1011", null, true, All));

    [Theory]
    [MemberData(nameof(BareStartTimestampExclusive))]
    public Task Exclusive_bare_start_timestamp_means_strictly_before_that_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareEndTimestamp => Kinds.With(
        (null, "0", false, All),
        (null, "1000", false, All),
        (null, "1001", false, "1010-5 1005-4 1005-3"),
        (null, "1005", false, "1010-5 1005-4 1005-3"),
        (null, "1010", false, "1010-5"),
        (null, "1011", false, ""));

    [Theory]
    [MemberData(nameof(BareEndTimestamp))]
    public Task Bare_end_timestamp_includes_every_seq_from_that_ms_on(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareEndTimestampExclusive => Kinds.With(
        (null, "999", true, All),
        (null, "1000", true, "1010-5 1005-4 1005-3"),
        (null, "1005", true, "1010-5"),
        (null, "1007", true, "1010-5"),
        (null, "1010", true, ""),
        (null, "9223372036854775807", true, ""));

    [Theory]
    [MemberData(nameof(BareEndTimestampExclusive))]
    public Task Exclusive_bare_end_timestamp_means_strictly_after_that_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> FullIdBounds => Kinds.With(
        ("1005-3", null, false, "1005-3 1000-2 1000-1 1000-0"),
        ("1000-0", null, false, "1000-0"),
        ("1010-5", null, false, All),
        (null, "1000-1", false, "1010-5 1005-4 1005-3 1000-2 1000-1"),
        (null, "1010-5", false, "1010-5"),
        ("1005-4", "1000-1", false, "1005-4 1005-3 1000-2 1000-1"),
        ("1005-4", "1005-4", false, "1005-4"),
        ("1005-3", null, true, "1000-2 1000-1 1000-0"),
        (null, "1000-1", true, "1010-5 1005-4 1005-3 1000-2"),
        ("1005-4", "1000-1", true, "1005-3 1000-2"),
        ("1005-3", "1000-2", true, ""),
        ("1005-4", "1005-4", true, ""));

    [Theory]
    [MemberData(nameof(FullIdBounds))]
    public Task Full_id_bounds_are_inclusive_unless_exclusive(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> MissingIdBounds => Kinds.With(
        ("1002-0", null, false, "1000-2 1000-1 1000-0"),
        ("1005-9", null, false, "1005-4 1005-3 1000-2 1000-1 1000-0"),
        ("1000-5", null, false, "1000-2 1000-1 1000-0"),
        ("999-9", null, false, ""),
        ("9999-0", null, false, All),
        (null, "1002-0", false, "1010-5 1005-4 1005-3"),
        (null, "1000-9", false, "1010-5 1005-4 1005-3"),
        (null, "1010-6", false, ""),
        (null, "0-0", false, All),
        ("1007-0", "1002-0", false, "1005-4 1005-3"),
        ("1007-0", "1002-0", true, "1005-4 1005-3"));

    [Theory]
    [MemberData(nameof(MissingIdBounds))]
    public Task Full_id_naming_no_record_bounds_by_ts_then_seq(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> PositionBounds => Kinds.With(
        (":4", null, false, "1005-4 1005-3 1000-2 1000-1 1000-0"),
        (":0", null, false, "1000-0"),
        (":5", null, false, All),
        (null, ":2", false, "1010-5 1005-4 1005-3 1000-2"),
        (null, ":0", false, All),
        (":4", ":1", false, "1005-4 1005-3 1000-2 1000-1"),
        (":3", ":3", false, "1005-3"),
        (":4", null, true, "1005-3 1000-2 1000-1 1000-0"),
        (null, ":2", true, "1010-5 1005-4 1005-3"),
        (":4", ":1", true, "1005-3 1000-2"),
        (":3", ":2", true, ""),
        (":0", null, true, ""));

    [Theory]
    [MemberData(nameof(PositionBounds))]
    public Task Position_bounds_select_by_seq(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> MixedBounds => Kinds.With(
        ("1005", "1005", false, "1005-4 1005-3"),
        ("1005", "1005", true, ""),
        ("1010", "1000", true, "1005-4 1005-3"),
        ("1010", "1000", false, All),
        ("1009", "1001", false, "1005-4 1005-3"),
        (":4", "1000", true, "1005-3"),
        ("1005", ":1", false, "1005-4 1005-3 1000-2 1000-1"),
        ("1005-3", "1005", false, "1005-3"),
        ("1005", "1005-4", false, "1005-4"));

    [Theory]
    [MemberData(nameof(MixedBounds))]
    public Task Bound_forms_combine(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> StartBeforeEnd => Kinds.With(
        ("1000", "1005", false, ""),
        (":1", ":4", false, ""),
        ("1005-3", "1005-4", false, ""),
        ("1000-0", "1010", false, ""),
        ("1001-0", "1002-0", false, ""));

    [Theory]
    [MemberData(nameof(StartBeforeEnd))]
    public Task Start_older_than_end_is_empty(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRevRange(kind, start, end, exclusive, expected);
}
