using System.Buffers.Binary;
using System.IO.Hashing;
using Engine.Fuzz.Frames;
using Engine.Fuzz.Oracles;
using Engine.Log;
using Engine.Storage;

namespace Engine.Tests.Fuzz;

/// <summary>
/// The engine computes some CRC-32C values with the CPU's CRC32 instruction, a word at a time
/// (short buffers, index entry checks);
/// format-spec.md defines them over bytes. These hold the fast paths to the definition, computed
/// by System.IO.Hashing.
/// </summary>
public sealed class ChecksumReferenceTests
{
    [Fact]
    public void Hardware_index_entry_checksum_equals_the_reference() => Property.Check(20_000, rng =>
    {
        var entry = RandomFrames.Bytes(rng, 12);
        var seq = rng.NextInt64(long.MinValue, long.MaxValue);
        var topicId = (uint)rng.NextInt64(0, 1L << 32);
        var fast = Checksum.IndexEntry(seq, topicId, BinaryPrimitives.ReadUInt64LittleEndian(entry), BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(8)));
        Assert.Equal(Checksum.IndexEntryReference(seq, topicId, entry), fast);
    });

    [Fact]
    public void Checksum_of_a_buffer_of_any_length_equals_the_reference()
    {
        // Every length through the word loop's limit and past it, so each tail (0-7 bytes after
        // the last whole word) and the switch to the library are covered, at every alignment.
        var rng = new Random(13);
        var buffer = RandomFrames.Bytes(rng, 4096 + 8);
        for (var length = 0; length <= 4096; length++)
        {
            var data = buffer.AsSpan(length % 8, length);
            Assert.True(Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data) == Checksum.Compute(data), $"length {length}");
        }
    }

    [Fact]
    public void Frame_checksum_equals_crc32c_over_entry_crcs_then_header_bytes_4_to_32() => Property.Check(20_000, rng =>
    {
        var entryCrcs = RandomFrames.Bytes(rng, 4 * rng.Next(0, 32));
        var header = RandomFrames.Bytes(rng, FrameHeader.Length);
        // The writer's running state after the entries is the CRC register before its final
        // inversion: the complement of the CRC-32C of the entry crcs' bytes.
        var state = ~Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, entryCrcs);
        var expected = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, [.. entryCrcs, .. header.AsSpan(4)]);
        Assert.Equal(expected, FrameWriter.FrameChecksum(state, header));
    });

    [Fact]
    public void Written_frames_carry_the_checksums_the_spec_describes() => Property.Check(2_000, rng =>
    {
        var frame = RandomFrames.Next(rng);
        Assert.True(ReferenceCrc.FrameChecksumChainHolds(frame.Bytes), "the written frame's checksums differ from the spec's");
    });
}
