using Engine.Fuzz.Frames;
using Engine.Fuzz.Targets;
using Engine.Index;

namespace Engine.Tests.Fuzz;

/// <summary>
/// <see cref="IndexEntry.TryRead"/>: a slot is believed only when its check holds for this topic
/// and seq, so a damaged or misplaced slot sends the reader to a rebuild, never to a wrong place.
/// </summary>
public sealed class IndexEntryPropertyTests
{
    [Fact]
    public void Written_slots_read_back_their_position_and_timestamp() => Property.Check(20_000, rng =>
    {
        var (slot, topicId, seq, position, timestamp) = WrittenSlot(rng);
        Assert.True(IndexTarget.CheckSlot(slot, topicId, seq));
        IndexEntry.TryRead(slot, topicId, seq, out var readPosition, out var readTimestamp);
        Assert.Equal((position, timestamp), (readPosition, readTimestamp));
    });

    [Fact]
    public void Flipped_bits_in_a_slot_always_fail_its_check() => Property.Check(1_000, rng =>
    {
        var (slot, topicId, seq, _, _) = WrittenSlot(rng);
        // Every single bit, then a handful of multi-bit flips.
        for (var bit = 0; bit < IndexEntry.Size * 8; bit++)
        {
            var damaged = (byte[])slot.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(IndexTarget.CheckSlot(damaged, topicId, seq), $"flipping bit {bit} passed the check");
        }
        for (var i = 0; i < 16; i++)
            Assert.False(IndexTarget.CheckSlot(Mutate.FlipBits(rng, slot, rng.Next(2, 17), 0, slot.Length), topicId, seq), "flipped bits passed the check");
    });

    [Fact]
    public void A_slot_fails_for_any_other_topic_or_seq() => Property.Check(20_000, rng =>
    {
        // A slot copied to the wrong place in its chunk, or to another topic's index.
        var (slot, topicId, seq, _, _) = WrittenSlot(rng);
        if (rng.Next(2) == 0) topicId ^= (uint)rng.Next(1, int.MaxValue);
        else seq ^= rng.NextInt64(1, long.MaxValue);
        Assert.False(IndexTarget.CheckSlot(slot, topicId, seq));
    });

    [Fact]
    public void Random_slots_never_pass_their_check() => Property.Check(20_000, rng =>
    {
        // All zeros (a slot never written) half the time: it must fail like any other garbage.
        var slot = rng.Next(2) == 0 ? new byte[IndexEntry.Size] : RandomFrames.Bytes(rng, IndexEntry.Size);
        Assert.False(IndexTarget.CheckSlot(slot, RandomFrames.NextTopicId(rng), rng.NextInt64(0, 1L << 40)));
    });

    private static (byte[] Slot, uint TopicId, long Seq, long Position, long Timestamp) WrittenSlot(Random rng)
    {
        var slot = new byte[IndexEntry.Size];
        var (topicId, seq) = (RandomFrames.NextTopicId(rng), rng.NextInt64(0, 1L << 40));
        var (position, timestamp) = (rng.NextInt64(0, IndexEntry.MaxPosition + 1), rng.NextInt64(0, IndexEntry.MaxTimestamp + 1));
        IndexEntry.Write(slot, topicId, seq, position, timestamp);
        return (slot, topicId, seq, position, timestamp);
    }
}
