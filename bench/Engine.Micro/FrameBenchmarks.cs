using BenchmarkDotNet.Attributes;
using Engine.Log;

namespace Engine.Micro;

/// <summary>
/// One frame of 100-byte records: writing it (entry CRCs and the frame CRC included) into a span,
/// as a commit does into the mapped segment, and checking it the way recovery does.
/// Both should allocate nothing at all.
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private const long Timestamp = 1_732_464_000_000;
    private readonly byte[] _body = new byte[100];
    private byte[] _frame = [];

    [Params(1, 100)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_body);
        _frame = new byte[FrameHeader.Length + Records * RecordEntry.PaddedLength(_body.Length)];
        Encode();
    }

    [Benchmark]
    public int Encode()
    {
        var writer = new FrameWriter(_frame, position: 0, syncedUpTo: 0);
        for (var i = 0; i < Records; i++) writer.AddRecord(topicId: 1, seq: i, Timestamp, _body);
        return writer.Finish();
    }

    [Benchmark]
    public int DecodeAndVerify()
    {
        var status = FrameDecoder.TryRead(_frame, expectedPosition: 0, out var header, out _);
        return status == FrameStatus.Valid ? header.FrameLength : throw new InvalidOperationException("the frame did not verify");
    }
}
