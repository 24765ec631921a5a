using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>The baseline the damage properties rely on: undamaged frames decode, and decode as written.</summary>
public sealed class FrameRoundTripTests
{
    [Fact]
    public void Written_frames_decode_as_valid_with_the_entries_that_were_written() => Property.Check(1_500, rng =>
    {
        var frame = FrameVerdicts.Any(rng);
        // Exactly the frame, and the frame followed by whatever the segment holds next.
        foreach (var data in new[] { frame.Bytes, Mutate.WithRandomTail(rng, frame.Bytes, rng.Next(1, 256)) })
        {
            Assert.Equal(FrameStatus.Valid, FrameVerdicts.Decode(data, frame));
            FrameDecoder.TryRead(data, frame.Position, out var header, out _);
            Assert.Equal((frame.Bytes.Length, frame.Position, frame.SyncedUpTo, frame.Entries.Count, frame.Kind),
                (header.FrameLength, header.Position, header.SyncedUpTo, header.EntryCount, header.Kind));
        }
        var entries = FrameDecoder.Entries(frame.Bytes);
        var i = 0;
        while (entries.MoveNext())
        {
            Assert.Equal(frame.EntryOffsets[i], entries.CurrentOffset);
            Assert.True(frame.Entries[i].Matches(entries.Current), $"entry {i} ({frame.Entries[i].Type}) does not read back as written");
            i++;
        }
        Assert.Equal(frame.Entries.Count, i);
    });

    [Fact]
    public void A_frame_read_at_any_other_position_is_invalid() => Property.Check(5_000, rng =>
    {
        var frame = FrameVerdicts.Small(rng);
        var elsewhere = frame.Position + (rng.Next(2) == 0 ? 8 : -8) * rng.NextInt64(1, 1L << 20);
        Assert.Equal(FrameStatus.Invalid, FrameDecoder.TryRead(frame.Bytes, elsewhere, out _, out _));
    });
}
