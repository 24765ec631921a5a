using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>Misdirected or partial writes: a range of a frame replaced by other bytes.</summary>
public sealed class FrameOverwriteTests
{
    [Fact]
    public void Overwritten_ranges_decode_as_valid_only_when_the_frame_bytes_are_unchanged() => Property.Check(2_500, rng =>
    {
        var frame = FrameVerdicts.Any(rng);
        var segment = Mutate.WithRandomTail(rng, frame.Bytes, rng.Next(0, 64));
        var damaged = Mutate.OverwriteRange(rng, segment, 0, segment.Length);
        var unchanged = damaged.AsSpan(0, frame.Bytes.Length).SequenceEqual(frame.Bytes);
        // Zeros over padding, or a range copied onto itself, change nothing; any other overwrite must be caught.
        Assert.Equal(unchanged, FrameVerdicts.Decode(damaged, frame) == FrameStatus.Valid);
    });
}
