using System.Buffers.Binary;
using Engine.Fuzz.Frames;
using Engine.Fuzz.Oracles;
using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>Bytes that were never a frame, and frames rebuilt so that their checksums hold.</summary>
public sealed class FrameRandomBytesTests
{
    [Fact]
    public void Random_bytes_never_throw_and_never_decode_as_a_valid_frame() => Property.Check(10_000, rng =>
    {
        var data = RandomFrames.Bytes(rng, rng.Next(0, 1024));
        var expected = rng.NextInt64(0, 1L << 40) & ~7L;
        // Half the time a plausible header, so the decoder gets past its first checks into the entries.
        if (data.Length >= FrameHeader.Length && rng.Next(2) == 0) WritePlausibleHeader(rng, data, expected);
        var status = Engine.Fuzz.Targets.FrameTarget.Check(data, expected);
        Assert.True(status != FrameStatus.Valid, "random bytes decoded as a valid frame");
    });

    /// <summary>
    /// Damage followed by a repair of every checksum reaches the structural checks behind them:
    /// whatever the decoder then accepts must be safe to walk, field by field, as recovery does.
    /// </summary>
    [Fact]
    public void Frames_with_repaired_checksums_are_valid_only_when_every_entry_can_be_read() => Property.Check(8_000, rng =>
    {
        var frame = FrameVerdicts.Small(rng);
        var segment = Mutate.WithRandomTail(rng, frame.Bytes, rng.Next(0, 64));
        var damaged = rng.Next(2) == 0
            ? Mutate.FlipBits(rng, segment, rng.Next(1, 5), 0, segment.Length)
            : Mutate.OverwriteRange(rng, segment, 0, segment.Length);
        ChecksumRepair.Frame(damaged);
        // FrameTarget.Check walks a valid frame's entries over a span cut at the frame's end.
        Engine.Fuzz.Targets.FrameTarget.Check(damaged, frame.Position);
        Engine.Fuzz.Targets.FrameTarget.Check(damaged.AsSpan(0, Math.Min(damaged.Length, frame.Bytes.Length)), frame.Position);
    });

    private static void WritePlausibleHeader(Random rng, byte[] data, long position)
    {
        var length = rng.Next(3) == 0 ? rng.Next() : rng.Next(FrameHeader.Length / 8, data.Length / 8 + 2) * 8;
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(FrameHeader.LengthOffset), length);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(FrameHeader.PositionOffset), position);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(FrameHeader.SyncedUpToOffset), rng.NextInt64(0, position + 1));
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(FrameHeader.EntryCountOffset), rng.Next(0, 8));
        data[FrameHeader.KindOffset] = (byte)rng.Next(0, 4);
        data.AsSpan(FrameHeader.FlagsOffset, 3).Clear();
    }
}
