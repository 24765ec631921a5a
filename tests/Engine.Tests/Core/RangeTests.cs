namespace Engine.Tests.Core;

/// <summary>
/// Forward ranges over the seeded topic: 1000-0 1000-1 1000-2 1005-3 1005-4 1010-5.
/// Every bound form for Start and End, with and without Exclusive.
/// </summary>
public sealed class RangeTests
{
    private const string All = "1000-0 1000-1 1000-2 1005-3 1005-4 1010-5";

    private static async Task AssertRange(string kind, string? start, string? end, bool exclusive, string expected)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        var read = await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = start, End = end, Exclusive = exclusive });
        CoreStore.AssertSeeded(CoreStore.Split(expected), read);
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
        AssertRange(kind, start, end, exclusive, expected);

    [Theory]
    [MemberData(nameof(StoreKindsOnly))]
    public async Task No_options_reads_the_whole_topic(string kind)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        CoreStore.AssertSeeded(CoreStore.SeedIds, await store.Engine.RangeAsync(CoreStore.Topic));
        CoreStore.AssertSeeded(CoreStore.SeedIds, await store.Engine.RangeAsync(CoreStore.Topic, null));
        CoreStore.AssertSeeded(CoreStore.SeedIds, await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions()));
    }

    public static TheoryData<string> StoreKindsOnly => Support.StoreKind.All;

    public static TheoryData<string, string?, string?, bool, string> BareStartTimestamp => Kinds.With(
        ("0", null, false, All),
        ("999", null, false, All),
        ("1000", null, false, All),
        ("1001", null, false, "1005-3 1005-4 1010-5"),
        ("1005", null, false, "1005-3 1005-4 1010-5"),
        ("1006", null, false, "1010-5"),
        ("1010", null, false, "1010-5"),
        ("1011", null, false, ""),
        ("9223372036854775807", null, false, ""));

    [Theory]
    [MemberData(nameof(BareStartTimestamp))]
    public Task Bare_start_timestamp_means_first_record_of_that_ms_or_later(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareStartTimestampExclusive => Kinds.With(
        ("999", null, true, All),
        ("1000", null, true, "1005-3 1005-4 1010-5"),
        ("1003", null, true, "1005-3 1005-4 1010-5"),
        ("1005", null, true, "1010-5"),
        ("1009", null, true, "1010-5"),
        ("1010", null, true, ""),
        ("9223372036854775807", null, true, ""));

    [Theory]
    [MemberData(nameof(BareStartTimestampExclusive))]
    public Task Exclusive_bare_start_timestamp_means_strictly_after_that_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareEndTimestamp => Kinds.With(
        (null, "0", false, ""),
        (null, "999", false, ""),
        (null, "1000", false, "1000-0 1000-1 1000-2"),
        (null, "1004", false, "1000-0 1000-1 1000-2"),
        (null, "1005", false, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        (null, "1010", false, All),
        (null, "1011", false, All),
        (null, "9223372036854775807", false, All));

    [Theory]
    [MemberData(nameof(BareEndTimestamp))]
    public Task Bare_end_timestamp_includes_every_seq_up_to_that_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> BareEndTimestampExclusive => Kinds.With(
        (null, "1000", true, ""),
        (null, "1001", true, "1000-0 1000-1 1000-2"),
        (null, "1005", true, "1000-0 1000-1 1000-2"),
        (null, "1006", true, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        (null, "1010", true, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        (null, "1011", true, All));

    [Theory]
    [MemberData(nameof(BareEndTimestampExclusive))]
    public Task Exclusive_bare_end_timestamp_means_strictly_before_that_ms(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> FullIdBounds => Kinds.With(
        ("1000-0", null, false, All),
        ("1000-1", null, false, "1000-1 1000-2 1005-3 1005-4 1010-5"),
        ("1005-3", null, false, "1005-3 1005-4 1010-5"),
        ("1010-5", null, false, "1010-5"),
        (null, "1000-0", false, "1000-0"),
        (null, "1005-3", false, "1000-0 1000-1 1000-2 1005-3"),
        (null, "1010-5", false, All),
        ("1000-1", "1005-4", false, "1000-1 1000-2 1005-3 1005-4"),
        ("1000-1", "1000-1", false, "1000-1"));

    [Theory]
    [MemberData(nameof(FullIdBounds))]
    public Task Full_id_bounds_are_inclusive(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> FullIdBoundsExclusive => Kinds.With(
        ("1000-1", null, true, "1000-2 1005-3 1005-4 1010-5"),
        ("1010-5", null, true, ""),
        (null, "1005-3", true, "1000-0 1000-1 1000-2"),
        (null, "1000-0", true, ""),
        ("1000-1", "1005-4", true, "1000-2 1005-3"),
        ("1000-2", "1005-3", true, ""),
        ("1000-1", "1000-1", true, ""));

    [Theory]
    [MemberData(nameof(FullIdBoundsExclusive))]
    public Task Exclusive_drops_both_full_id_bounds(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> MissingIdBounds => Kinds.With(
        ("0-0", null, false, All),
        ("999-7", null, false, All),
        ("1000-9", null, false, "1005-3 1005-4 1010-5"),
        ("1002-0", null, false, "1005-3 1005-4 1010-5"),
        ("1005-0", null, false, "1005-3 1005-4 1010-5"),
        ("1005-9", null, false, "1010-5"),
        ("1010-6", null, false, ""),
        ("1011-0", null, false, ""),
        (null, "0-0", false, ""),
        (null, "1000-5", false, "1000-0 1000-1 1000-2"),
        (null, "1002-0", false, "1000-0 1000-1 1000-2"),
        (null, "1005-0", false, "1000-0 1000-1 1000-2"),
        (null, "1005-9", false, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        (null, "1010-0", false, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        (null, "9999-99", false, All),
        ("1002-0", "1007-0", false, "1005-3 1005-4"),
        ("1002-0", null, true, "1005-3 1005-4 1010-5"),
        (null, "1005-9", true, "1000-0 1000-1 1000-2 1005-3 1005-4"),
        ("1002-0", "1007-0", true, "1005-3 1005-4"));

    [Theory]
    [MemberData(nameof(MissingIdBounds))]
    public Task Full_id_naming_no_record_bounds_by_ts_then_seq(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> PositionBounds => Kinds.With(
        (":0", null, false, All),
        (":3", null, false, "1005-3 1005-4 1010-5"),
        (":5", null, false, "1010-5"),
        (null, ":0", false, "1000-0"),
        (null, ":2", false, "1000-0 1000-1 1000-2"),
        (null, ":5", false, All),
        (":1", ":4", false, "1000-1 1000-2 1005-3 1005-4"),
        (":2", ":2", false, "1000-2"),
        (":3", null, true, "1005-4 1010-5"),
        (":5", null, true, ""),
        (null, ":2", true, "1000-0 1000-1"),
        (null, ":0", true, ""),
        (":1", ":4", true, "1000-2 1005-3"),
        (":2", ":3", true, ""),
        (":2", ":2", true, ""));

    [Theory]
    [MemberData(nameof(PositionBounds))]
    public Task Position_bounds_select_by_seq(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> MixedBounds => Kinds.With(
        ("1000-1", ":4", false, "1000-1 1000-2 1005-3 1005-4"),
        (":1", "1005", false, "1000-1 1000-2 1005-3 1005-4"),
        ("1005", "1005", false, "1005-3 1005-4"),
        ("1005", "1005", true, ""),
        ("1000", "1010", true, "1005-3 1005-4"),
        ("1000", "1010", false, All),
        ("1001", "1009", false, "1005-3 1005-4"),
        ("1005", "1005-3", false, "1005-3"),
        ("1005-4", "1005", false, "1005-4"),
        (":2", "1005-3", true, ""),
        ("1000", ":4", true, "1005-3"),
        (":0", "", false, All),
        ("", ":1", false, "1000-0 1000-1"));

    [Theory]
    [MemberData(nameof(MixedBounds))]
    public Task Bound_forms_combine(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);

    public static TheoryData<string, string?, string?, bool, string> StartAfterEnd => Kinds.With(
        ("1005", "1000", false, ""),
        ("1010", "1000-0", false, ""),
        ("1005-4", "1005-3", false, ""),
        (":4", ":1", false, ""),
        (":4", ":1", true, ""),
        (":3", "1000", false, ""),
        ("1002-0", "1001-0", false, ""),
        ("1003", "1002", false, ""));

    [Theory]
    [MemberData(nameof(StartAfterEnd))]
    public Task Start_after_end_is_empty(string kind, string? start, string? end, bool exclusive, string expected) =>
        AssertRange(kind, start, end, exclusive, expected);
}
