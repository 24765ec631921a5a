namespace Engine.Tests.Core;

/// <summary>Malformed bounds are InvalidRangeOffset; a ":seq" past the end is SequenceNotFound.</summary>
public sealed class RangeValidationTests
{
    private static readonly string[] Malformed =
    [
        "abc", "-1", "1-", ":x", " 5", "5 ", "1-2-3", ":-1", ":", "-", "1-x", "x-1", "-1-2", "1--2", "1.5", "0x10",
        ":1:2", "::1", ":1-2", "1 - 2", "+5", "1e3", "١٢٣", "\t", " ",
    ];

    private static readonly string[] Places = ["Range.Start", "Range.End", "RevRange.Start", "RevRange.End"];

    public static TheoryData<string, string, string> MalformedBounds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var bound in Malformed)
            {
                foreach (var place in Places) data.Add(kind, place, bound);
            }
        }
        return data;
    }

    private static ValueTask<IReadOnlyList<LogEntry>> Read(ILogClient engine, string place, string bound, bool exclusive = false) => place switch
    {
        "Range.Start" => engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = bound, Exclusive = exclusive }),
        "Range.End" => engine.RangeAsync(CoreStore.Topic, new RangeOptions { End = bound, Exclusive = exclusive }),
        "RevRange.Start" => engine.RevRangeAsync(CoreStore.Topic, new RangeOptions { Start = bound, Exclusive = exclusive }),
        "RevRange.End" => engine.RevRangeAsync(CoreStore.Topic, new RangeOptions { End = bound, Exclusive = exclusive }),
        _ => throw new ArgumentOutOfRangeException(nameof(place)),
    };

    [Theory]
    [MemberData(nameof(MalformedBounds))]
    public async Task Malformed_bound_is_invalid_range_offset(string kind, string place, string bound)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidRangeOffset, async () => await Read(store.Engine, place, bound));
    }

    public static TheoryData<string, string, string> PastTheEnd()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var bound in new[] { ":6", ":7", ":1000", ":9223372036854775807" })
            {
                foreach (var place in Places) data.Add(kind, place, bound);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PastTheEnd))]
    public async Task Position_past_the_end_is_sequence_not_found(string kind, string place, string bound)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        await CoreStore.ThrowsAsync(LogEngineError.SequenceNotFound, async () => await Read(store.Engine, place, bound));
        await CoreStore.ThrowsAsync(LogEngineError.SequenceNotFound, async () => await Read(store.Engine, place, bound, exclusive: true));
    }

    [Theory]
    [MemberData(nameof(StoreKindsOnly))]
    public async Task Position_of_the_last_record_is_found(string kind)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        foreach (var place in Places)
        {
            var read = await Read(store.Engine, place, ":5");
            Assert.Contains("1010-5", CoreStore.IdsOf(read));
        }
    }

    [Theory]
    [MemberData(nameof(StoreKindsOnly))]
    public async Task Position_that_was_past_the_end_is_found_once_committed(string kind)
    {
        await using var store = await CoreStore.SeededAsync(kind);
        await CoreStore.ThrowsAsync(LogEngineError.SequenceNotFound, async () => await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = ":6" }));
        store.SetClock(1020);
        await store.Engine.CommitAsync(CoreStore.Topic, CoreStore.BodyFor(6));
        CoreStore.AssertSeeded(["1020-6"], await store.Engine.RangeAsync(CoreStore.Topic, new RangeOptions { Start = ":6" }));
    }

    public static TheoryData<string> StoreKindsOnly => Support.StoreKind.All;
}
