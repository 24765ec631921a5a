using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// An engine of one <see cref="StoreKind"/> on a fake clock, plus the helpers the core tests share.
/// </summary>
internal sealed class CoreStore(string kind, long startMs) : FakeClockStore(kind, startMs)
{
    /// <summary>The topic <see cref="SeedAsync"/> fills.</summary>
    public const string Topic = "events";

    /// <summary>The topic <see cref="SeedAsync"/> interleaves with <see cref="Topic"/>, so indexes must keep topics apart.</summary>
    public const string Noise = "noise";

    /// <summary>What <see cref="SeedAsync"/> commits to <see cref="Topic"/>: ms 1000 holds seqs 0-2, ms 1005 seqs 3-4, ms 1010 seq 5.</summary>
    public static readonly string[] SeedIds = ["1000-0", "1000-1", "1000-2", "1005-3", "1005-4", "1010-5"];

    public static CoreStore Open(string kind, long startMs = 1000) => new(kind, startMs);

    /// <summary>An engine with <see cref="SeedIds"/> committed to <see cref="Topic"/>.</summary>
    public static async Task<CoreStore> SeededAsync(string kind)
    {
        var store = Open(kind);
        await store.SeedAsync();
        return store;
    }

    /// <summary>Moves the fake clock to <paramref name="ms"/> Unix milliseconds, forwards or backwards.</summary>
    public void SetClock(long ms)
    {
        var to = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (to >= Clock.GetUtcNow()) Clock.SetUtcNow(to);
        else Clock.AdjustTime(to);
    }

    /// <summary>Closes the engine and opens the same directory again, with the clock at <paramref name="clockMs"/> if given.</summary>
    public async Task ReopenAsync(long? clockMs = null)
    {
        await ReopenEngineAsync(() =>
        {
            if (clockMs is { } ms) SetClock(ms);
        });
    }

    public async Task SeedAsync()
    {
        var seq = 0;
        foreach (var (ms, count) in new[] { (1000L, 3), (1005L, 2), (1010L, 1) })
        {
            SetClock(ms);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal($"{ms}-{seq}", await Engine.CommitAsync(Topic, BodyFor(seq)));
                await Engine.CommitAsync(Noise, Encoding.UTF8.GetBytes($"noise {seq}"));
                seq++;
            }
        }
    }

    /// <summary>The body <see cref="SeedAsync"/> gives the record with this seq.</summary>
    public static byte[] BodyFor(long seq) => Encoding.UTF8.GetBytes($"record {seq}");

    /// <summary>A space-separated id list as an array ("" = none).</summary>
    public static string[] Split(string ids) => ids.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts the entries are exactly <paramref name="expectedIds"/>, each with the body <see cref="SeedAsync"/> gave it.</summary>
    public static void AssertSeeded(string[] expectedIds, IReadOnlyList<LogEntry> actual)
    {
        Assert.Equal(expectedIds, IdsOf(actual));
        foreach (var entry in actual)
        {
            var seq = long.Parse(entry.Id[(entry.Id.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(BodyFor(seq), entry.Body.ToArray());
        }
    }

}

/// <summary>Crosses theory rows with both store kinds.</summary>
internal static class Kinds
{
    public static readonly string[] Both = ["disk", "memory"];

    public static TheoryData<string, string> With(params string[] rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in Both)
        {
            foreach (var row in rows) data.Add(kind, row);
        }
        return data;
    }

    public static TheoryData<string, string?, string?, bool, string> With(params (string? Start, string? End, bool Exclusive, string Expected)[] rows)
    {
        var data = new TheoryData<string, string?, string?, bool, string>();
        foreach (var kind in Both)
        {
            foreach (var row in rows) data.Add(kind, row.Start, row.End, row.Exclusive, row.Expected);
        }
        return data;
    }
}
