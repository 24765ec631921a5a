using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Core;

/// <summary>Reads, ids and reopen stay correct when the log rolls over small segments and in every durability mode.</summary>
public sealed class SegmentAndDurabilityTests
{
    private static byte[] Body(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Records_spanning_many_small_segments_read_back_and_survive_reopen(string kind)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1000));
        var options = new LogEngineOptions { SegmentSize = LogEngineOptions.MinSegmentSize, TimeProvider = clock };
        var bodies = Enumerable.Range(0, 60).Select(i => Body(100 * 1024 + i, i)).ToArray();
        var ids = new List<string>();
        var engine = StoreKind.Named(kind).Open(dir, options);
        await using (engine)
        {
            for (var i = 0; i < bodies.Length; i++)
            {
                if (i % 10 == 0) clock.Advance(TimeSpan.FromMilliseconds(1));
                ids.Add(await engine.CommitAsync(i % 3 == 0 ? "x" : "y", bodies[i]));
            }
            await AssertContents(engine);
        }

        if (kind == "disk")
        {
            await using var reopened = StoreKind.Disk.Open(dir, options);
            await AssertContents(reopened);
        }

        async Task AssertContents(ILogClient e)
        {
            var x = await e.RangeAsync("x");
            var y = await e.RangeAsync("y");
            Assert.Equal(ids.Where((_, i) => i % 3 == 0), CoreStore.IdsOf(x));
            Assert.Equal(ids.Where((_, i) => i % 3 != 0), CoreStore.IdsOf(y));
            Assert.True(bodies.Where((_, i) => i % 3 == 0).SequenceEqual(x.Select(r => r.Body.ToArray()), ByteArrays.Comparer));
            Assert.True(bodies.Where((_, i) => i % 3 != 0).SequenceEqual(y.Select(r => r.Body.ToArray()), ByteArrays.Comparer));
            Assert.Equal(["1003-13", "1003-14", "1003-15"], CoreStore.IdsOf(await e.RangeAsync("y", new RangeOptions { Start = "1003", End = "1003", Limit = 3 })));
            Assert.Equal(["1006-39", "1006-38"], CoreStore.IdsOf(await e.RevRangeAsync("y", new RangeOptions { Start = "1006", Limit = 2 })));
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Body_larger_than_a_segment_is_stored(string kind)
    {
        using var dir = new TempDirectory();
        var options = new LogEngineOptions { SegmentSize = LogEngineOptions.MinSegmentSize };
        var big = Body((3 * (int)LogEngineOptions.MinSegmentSize) + 7, 1);
        var engine = StoreKind.Named(kind).Open(dir, options);
        await using (engine)
        {
            await engine.CommitAsync("t", new byte[] { 1 });
            await engine.CommitAsync([new CommitLog("t", big), new CommitLog("u", big)]);
            await engine.CommitAsync("t", new byte[] { 2 });
            var read = await engine.RangeAsync("t");
            Assert.Equal(3, read.Count);
            Assert.Equal(big, read[1].Body.ToArray());
        }

        if (kind == "disk")
        {
            await using var reopened = StoreKind.Disk.Open(dir, options);
            var read = await reopened.RangeAsync("t");
            Assert.Equal(3, read.Count);
            Assert.Equal(big, read[1].Body.ToArray());
            Assert.Equal(big, Assert.Single(await reopened.RangeAsync("u")).Body.ToArray());
        }
    }

    public static TheoryData<string, Durability> DurabilityModes()
    {
        var data = new TheoryData<string, Durability>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var mode in Enum.GetValues<Durability>()) data.Add(kind, mode);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DurabilityModes))]
    public async Task Every_durability_mode_commits_reads_and_reopens(string kind, Durability mode)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1000));
        var options = new LogEngineOptions { Durability = mode, TimeProvider = clock };
        var engine = StoreKind.Named(kind).Open(dir, options);
        await using (engine)
        {
            Assert.Equal("1000-0", await engine.CommitAsync("t", new byte[] { 1 }));
            Assert.Equal(["1000-1", "1000-0"], await engine.CommitAsync([new CommitLog("t", new byte[] { 2 }), new CommitLog("u", new byte[] { 3 })]));
            Assert.Equal(2, await engine.LengthAsync("t"));
        }

        if (kind == "disk")
        {
            await using var reopened = StoreKind.Disk.Open(dir, options);
            Assert.Equal(["1000-0", "1000-1"], CoreStore.IdsOf(await reopened.RangeAsync("t")));
            Assert.Equal(["1000-0"], CoreStore.IdsOf(await reopened.RangeAsync("u")));
        }
    }
}

internal sealed class ByteArrays : IEqualityComparer<byte[]>
{
    public static readonly ByteArrays Comparer = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => obj.Length;
}
