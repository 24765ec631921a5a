using BenchmarkDotNet.Attributes;
using Engine.Index;
using Engine.Storage;

namespace Engine.Micro;

/// <summary>
/// A topic index of 1,000,000 records (100 per millisecond): the slot of a seq (one array access
/// and its check) and the first seq at a timestamp (a binary search), at random places.
/// </summary>
[MemoryDiagnoser]
public class IndexBenchmarks
{
    private const int Records = 1_000_000;
    private const long FirstTimestamp = 1_732_464_000_000;
    private const int Lookups = 1024; // a power of two, so the cursor wraps with a mask
    private readonly long[] _seqs = new long[Lookups];
    private readonly long[] _timestamps = new long[Lookups];
    private MemoryMedium _medium = null!;
    private TopicIndex _index = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _medium = new MemoryMedium();
        _index = new TopicIndex(1, _medium);
        _index.EnsureChunks(0, Records);
        for (var seq = 0; seq < Records; seq++) _index.Set(seq, position: 64 + seq * 160L, FirstTimestamp + seq / 100);
        var random = new Random(42);
        for (var i = 0; i < Lookups; i++)
        {
            _seqs[i] = random.NextInt64(Records);
            _timestamps[i] = FirstTimestamp + random.NextInt64(Records / 100);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index.Dispose();
        _medium.Dispose();
    }

    [Benchmark]
    public long BySeq() => _index.Get(_seqs[_next++ & (Lookups - 1)]).Position;

    [Benchmark]
    public long ByTimestamp() => _index.FirstAtOrAfter(0, Records, _timestamps[_next++ & (Lookups - 1)], strictly: false);
}
