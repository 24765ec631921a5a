using BenchmarkDotNet.Attributes;

namespace Engine.Micro;

/// <summary>
/// The in-memory commit path through the public API: one 100-byte record, and a batch of 100.
/// Each iteration starts from a fresh in-memory store, so the store does not grow without bound
/// across BenchmarkDotNet's millions of invocations. The id strings are the result; anything
/// else allocated per record is overhead to remove.
/// </summary>
[MemoryDiagnoser]
public class CommitBenchmarks
{
    private readonly ReadOnlyMemory<byte> _body = new byte[100];
    private CommitLog[] _batch = [];
    private LogEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = new CommitLog[100];
        Array.Fill(_batch, new CommitLog("batch", _body));
    }

    [IterationSetup]
    public void OpenStore() => _engine = LogEngine.OpenInMemory();

    [IterationCleanup]
    public void CloseStore() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    // Invocation counts sized so one iteration commits about 2 million records (a few hundred MB
    // of memory store), long enough to time and small enough for this 2-core, shared machine.
    [Benchmark]
    [InvocationCount(2_000_000, 16)]
    public ValueTask<string> CommitOne() => _engine.CommitAsync("one", _body);

    [Benchmark(OperationsPerInvoke = 100)]
    [InvocationCount(20_000, 16)]
    public ValueTask<IReadOnlyList<string>> CommitBatchOf100() => _engine.CommitAsync(_batch);
}
