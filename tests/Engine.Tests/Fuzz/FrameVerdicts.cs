using Engine.Fuzz.Frames;
using Engine.Fuzz.Targets;
using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>
/// The one rule every frame property comes down to: whatever was done to the bytes, the decoder
/// answers without throwing, and it answers <see cref="FrameStatus.Valid"/> only when the frame's
/// bytes (every one of which a checksum or a zero check covers) are exactly those written.
/// </summary>
internal static class FrameVerdicts
{
    /// <summary>
    /// Decodes <paramref name="data"/> where <paramref name="original"/> was written, through the
    /// fuzz target's oracles (independent checksum chain, a second read over a span that ends at
    /// the frame's end, a walk of every entry field), and holds a valid verdict to the rule.
    /// </summary>
    public static FrameStatus Decode(ReadOnlySpan<byte> data, GeneratedFrame original)
    {
        var status = FrameTarget.Check(data, original.Position);
        if (status == FrameStatus.Valid)
        {
            Assert.True(data.Length >= original.Bytes.Length && data[..original.Bytes.Length].SequenceEqual(original.Bytes),
                "a frame whose bytes changed decoded as valid");
        }
        return status;
    }

    /// <summary>Small frames, for properties that try every byte or bit of each one.</summary>
    public static GeneratedFrame Small(Random rng) => RandomFrames.Next(rng, maxEntries: 4, maxBody: 64);

    /// <summary>Frames of the usual spread of shapes and sizes.</summary>
    public static GeneratedFrame Any(Random rng) => RandomFrames.Next(rng);
}
