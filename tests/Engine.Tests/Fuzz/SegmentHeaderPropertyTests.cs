using Engine.Fuzz.Frames;
using Engine.Fuzz.Targets;
using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary><see cref="SegmentHeader.TryRead"/>: a segment is opened only if its header is intact.</summary>
public sealed class SegmentHeaderPropertyTests
{
    [Fact]
    public void Written_segment_headers_read_back() => Property.Check(8_000, rng =>
    {
        var (bytes, header) = WrittenHeader(rng);
        Assert.True(SegmentHeaderTarget.Check(bytes));
        SegmentHeader.TryRead(bytes, out var read, out _);
        Assert.Equal(header, read);
    });

    [Fact]
    public void Damaged_segment_headers_are_never_read() => Property.Check(8_000, rng =>
    {
        var (bytes, _) = WrittenHeader(rng);
        var damaged = rng.Next(2) == 0
            ? Mutate.FlipBits(rng, bytes, rng.Next(1, 9), 0, bytes.Length)
            : Mutate.OverwriteRange(rng, bytes, 0, bytes.Length);
        Assert.Equal(damaged.AsSpan().SequenceEqual(bytes), SegmentHeaderTarget.Check(damaged));
    });

    [Fact]
    public void Truncated_segment_headers_are_never_read() => Property.Check(1_000, rng =>
    {
        var (bytes, _) = WrittenHeader(rng);
        for (var cut = 0; cut < bytes.Length; cut++) Assert.False(SegmentHeaderTarget.Check(bytes.AsSpan(0, cut)), $"cut at {cut} was read");
    });

    [Fact]
    public void Random_bytes_never_throw_from_segment_header_reading() => Property.Check(10_000, rng =>
    {
        // Control byte 1: the target writes the magic and fixes the crc, so the field checks run.
        var input = RandomFrames.Bytes(rng, rng.Next(0, 160));
        SegmentHeaderTarget.Run(input);
        if (input.Length > 0) input[0] = 1;
        SegmentHeaderTarget.Run(input);
    });

    private static (byte[] Bytes, SegmentHeader Header) WrittenHeader(Random rng)
    {
        var header = new SegmentHeader(rng.NextInt64(0, 1L << 40) & ~7L, rng.NextInt64(1, 1L << 18) * 4096, rng.NextInt64(0, 1L << 41), SegmentHeader.CurrentVersion);
        var bytes = new byte[SegmentHeader.Length];
        header.Write(bytes);
        return (bytes, header);
    }
}
