using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>Torn writes: a frame cut at every length, at the end of the data or followed by zeros.</summary>
public sealed class FrameTruncationTests
{
    [Fact]
    public void Every_truncation_of_a_frame_is_never_valid() => Property.Check(200, rng =>
    {
        var frame = FrameVerdicts.Small(rng);
        for (var cut = 0; cut < frame.Bytes.Length; cut++)
        {
            // The span ends at the cut, so a read past it throws instead of seeing stale bytes.
            var status = FrameVerdicts.Decode(frame.Bytes.AsSpan(0, cut), frame);
            Assert.True(status != FrameStatus.Valid, $"cut at {cut} of {frame.Bytes.Length} decoded as valid");
        }
    });

    [Fact]
    public void A_frame_zeroed_from_any_offset_is_valid_only_when_no_byte_changed() => Property.Check(200, rng =>
    {
        // A preallocated segment: the torn frame is followed by zeros, not by the end of the data.
        var frame = FrameVerdicts.Small(rng);
        var segment = new byte[frame.Bytes.Length + 64];
        frame.Bytes.CopyTo(segment, 0);
        for (var cut = 0; cut < frame.Bytes.Length; cut++)
        {
            var torn = Mutate.ZeroFrom(segment, cut);
            var unchanged = torn.AsSpan(0, frame.Bytes.Length).SequenceEqual(frame.Bytes);
            var status = FrameVerdicts.Decode(torn, frame);
            // Zeroing only the last entry's zero padding changes nothing, and then the frame is whole.
            Assert.Equal(unchanged, status == FrameStatus.Valid);
        }
    });
}
