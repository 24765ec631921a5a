using BenchmarkDotNet.Attributes;
using Engine.Ids;

namespace Engine.Micro;

/// <summary>Record ids: formatting one (the string is the result, so one allocation), parsing ids and range bounds (none).</summary>
[MemoryDiagnoser]
public class IdBenchmarks
{
    private const string Id = "1732464000000-123456";

    [Benchmark]
    public string Format() => LogId.Format(1_732_464_000_000, 123_456);

    [Benchmark]
    public long Parse() => LogId.TryParse(Id, out var timestamp, out var seq) ? timestamp + seq : -1;

    [Benchmark]
    public long ParseIdBound() => RangeBound.Parse(Id, "start").Seq;

    [Benchmark]
    public long ParsePositionBound() => RangeBound.Parse(":123456", "start").Seq;
}
