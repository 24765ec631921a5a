using BenchmarkDotNet.Attributes;

namespace Engine.Micro;

/// <summary>
/// Reads from an in-memory store of 100,000 records: 100 records from a position (the figure is
/// per record, so allocations show what each returned record costs: its LogEntry, id string and
/// body copy), the same 100 through Scan (which allocates per page, not per record), and the
/// latest record (RevRange limit 1).
/// </summary>
[MemoryDiagnoser]
public class RangeBenchmarks
{
    private const int Records = 100_000;
    private const int Pages = Records / 100;
    private readonly RangeOptions[] _pages = new RangeOptions[Pages];
    private readonly RangeOptions _latest = new() { Limit = 1 };
    private LogEngine _engine = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _engine = LogEngine.OpenInMemory();
        var batch = new CommitLog[100];
        Array.Fill(batch, new CommitLog("t", new byte[100]));
        for (var i = 0; i < Records / batch.Length; i++) _engine.CommitAsync(batch).AsTask().GetAwaiter().GetResult();
        // Options made up front: the benchmark measures the read, not building its request.
        for (var i = 0; i < Pages; i++) _pages[i] = new RangeOptions { Start = $":{i * 100}", Limit = 100 };
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = 100)]
    public ValueTask<IReadOnlyList<LogEntry>> Range100() => _engine.RangeAsync("t", _pages[_next++ % Pages]);

    /// <summary>The same 100 records through <see cref="LogEngine.Scan"/>: ids as numbers, bodies as spans, nothing allocated per record.</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public long Scan100()
    {
        long sum = 0;
        foreach (var record in _engine.Scan("t", _pages[_next++ % Pages])) sum += record.Seq + record.Body.Length;
        return sum;
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<LogEntry>> Latest() => _engine.RevRangeAsync("t", _latest);
}
