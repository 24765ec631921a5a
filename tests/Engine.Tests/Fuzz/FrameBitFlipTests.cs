using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>Bit rot inside a frame, and beyond its end.</summary>
public sealed class FrameBitFlipTests
{
    [Fact]
    public void Single_bit_flips_never_decode_as_a_valid_frame() => Property.Check(60, rng =>
    {
        // Every bit of the frame in turn: a CRC catches any single flipped bit, so none may pass.
        var frame = FrameVerdicts.Small(rng);
        var data = (byte[])frame.Bytes.Clone();
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.True(FrameVerdicts.Decode(data, frame) != FrameStatus.Valid, $"flipping bit {bit} left a valid frame");
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    });

    [Fact]
    public void Multiple_bit_flips_never_decode_as_a_valid_frame() => Property.Check(3_000, rng =>
    {
        var frame = FrameVerdicts.Any(rng);
        var flips = rng.Next(2, 17);
        var damaged = Mutate.FlipBits(rng, frame.Bytes, flips, 0, frame.Bytes.Length);
        Assert.True(FrameVerdicts.Decode(damaged, frame) != FrameStatus.Valid, $"{flips} flipped bits left a valid frame");
    });

    [Fact]
    public void Bit_flips_past_the_frame_end_do_not_change_a_valid_verdict() => Property.Check(2_000, rng =>
    {
        // Bytes after the frame belong to the next frame or to unwritten space: none of its business.
        var frame = FrameVerdicts.Any(rng);
        var segment = Mutate.WithRandomTail(rng, frame.Bytes, rng.Next(1, 128));
        var damaged = Mutate.FlipBits(rng, segment, rng.Next(1, 9), frame.Bytes.Length, segment.Length);
        Assert.Equal(FrameStatus.Valid, FrameVerdicts.Decode(damaged, frame));
    });
}
