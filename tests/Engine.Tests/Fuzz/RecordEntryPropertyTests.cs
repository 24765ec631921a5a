using System.Buffers.Binary;
using Engine.Fuzz.Frames;
using Engine.Fuzz.Oracles;
using Engine.Fuzz.Targets;
using Engine.Log;

namespace Engine.Tests.Fuzz;

/// <summary>
/// <see cref="RecordEntry.TryVerify"/>: a record read straight from its index position, without
/// the frame around it, is returned only if it is intact and is the record the index expects.
/// </summary>
public sealed class RecordEntryPropertyTests
{
    [Fact]
    public void Records_of_written_frames_verify_and_return_their_body() => Property.Check(2_000, rng =>
    {
        var (record, segment, offset) = RecordInFrame(rng);
        Assert.True(RecordTarget.Check(segment.AsSpan(offset), record.TopicId, record.Seq, record.Timestamp));
        RecordEntry.TryVerify(segment.AsSpan(offset), record.TopicId, record.Seq, record.Timestamp, out var body, out _);
        Assert.True(body.SequenceEqual(record.Body));
    });

    [Fact]
    public void Flipped_bits_in_a_record_never_verify() => Property.Check(3_000, rng =>
    {
        var (record, segment, offset) = RecordInFrame(rng);
        var damaged = Mutate.FlipBits(rng, segment, rng.Next(1, 9), offset, offset + record.Length);
        Assert.False(RecordTarget.Check(damaged.AsSpan(offset), record.TopicId, record.Seq, record.Timestamp), "a damaged record verified");
    });

    [Fact]
    public void Bit_flips_past_a_record_do_not_stop_it_verifying() => Property.Check(3_000, rng =>
    {
        // Padding and the entries after it are covered by the frame, not by the record's own crc.
        var (record, segment, offset) = RecordInFrame(rng);
        if (offset + record.Length == segment.Length) return;
        var damaged = Mutate.FlipBits(rng, segment, rng.Next(1, 9), offset + record.Length, segment.Length);
        Assert.True(RecordTarget.Check(damaged.AsSpan(offset), record.TopicId, record.Seq, record.Timestamp));
    });

    [Fact]
    public void Overwritten_records_verify_only_when_unchanged() => Property.Check(5_000, rng =>
    {
        var (record, segment, offset) = RecordInFrame(rng);
        var damaged = Mutate.OverwriteRange(rng, segment, offset, offset + record.Length);
        var unchanged = damaged.AsSpan(offset, record.Length).SequenceEqual(segment.AsSpan(offset, record.Length));
        Assert.Equal(unchanged, RecordTarget.Check(damaged.AsSpan(offset), record.TopicId, record.Seq, record.Timestamp));
    });

    [Fact]
    public void Truncated_records_never_verify() => Property.Check(300, rng =>
    {
        var (record, segment, offset) = RecordInFrame(rng, maxBody: 64);
        for (var cut = 0; cut < record.Length; cut++)
            Assert.False(RecordTarget.Check(segment.AsSpan(offset, cut), record.TopicId, record.Seq, record.Timestamp), $"cut at {cut} verified");
    });

    [Fact]
    public void Records_verify_only_for_their_own_topic_seq_and_timestamp() => Property.Check(5_000, rng =>
    {
        var (record, segment, offset) = RecordInFrame(rng);
        var (topicId, seq, timestamp) = (record.TopicId, record.Seq, record.Timestamp);
        switch (rng.Next(3))
        {
            case 0: topicId ^= (uint)rng.Next(1, int.MaxValue); break;
            case 1: seq ^= rng.NextInt64(1, long.MaxValue); break;
            default: timestamp ^= rng.NextInt64(1, long.MaxValue); break;
        }
        Assert.False(RecordTarget.Check(segment.AsSpan(offset), topicId, seq, timestamp), "a record verified as another");
    });

    [Fact]
    public void Random_bytes_never_throw_from_record_verification() => Property.Check(20_000, rng =>
    {
        // Raw, and with the entry crc repaired so the length and identity checks behind it run.
        var data = RandomFrames.Bytes(rng, rng.Next(0, 256));
        var (topicId, seq, timestamp) = data.Length >= RecordEntry.BodyOffset
            ? (RecordEntry.TopicId(data), RecordEntry.Seq(data), RecordEntry.Timestamp(data))
            : (0u, 0L, 0L);
        RecordTarget.Check(data, topicId, seq, timestamp);
        if (data.Length >= EntryHeader.Length)
        {
            var length = Math.Clamp(BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(EntryHeader.LengthOffset)), EntryHeader.Length, data.Length);
            ChecksumRepair.Entry(data.AsSpan(0, length));
            RecordTarget.Check(data, topicId, seq, timestamp);
        }
    });

    /// <summary>A record somewhere in a frame, the frame followed by random bytes, and where the record starts.</summary>
    private static (RecordSpec Record, byte[] Segment, int Offset) RecordInFrame(Random rng, int maxBody = 512)
    {
        var entries = new List<EntrySpec>();
        var count = rng.Next(1, 6);
        for (var i = 0; i < count; i++) entries.Add(RandomFrames.NextRecord(rng, maxBody));
        var frame = GeneratedFrame.Batch(rng.NextInt64(0, 1L << 40) & ~7L, 0, entries);
        var pick = rng.Next(count);
        return ((RecordSpec)entries[pick], Mutate.WithRandomTail(rng, frame.Bytes, rng.Next(0, 64)), frame.EntryOffsets[pick]);
    }
}
