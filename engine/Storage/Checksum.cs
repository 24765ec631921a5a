using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;

namespace Engine.Storage;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every frame, record, header and index entry. Buffers are
/// hashed by System.IO.Hashing (vectorised); the fixed 24-byte input of an index entry check is
/// hashed with the CPU's CRC32 instruction, which gives the same value (a test holds them equal).
/// </summary>
internal static class Checksum
{
    public static uint Compute(ReadOnlySpan<byte> data) =>
        Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>A running CRC-32C over several pieces.</summary>
    public static Crc32 Start() => new(Crc32ParameterSet.Crc32C);

    /// <summary>
    /// The check of an index entry: CRC-32C of <c>seq (u64) | topicId (u32) | entry bytes 0..12</c>,
    /// all little-endian, so an entry copied to the wrong slot or topic fails too.
    /// </summary>
    public static uint IndexEntry(long seq, uint topicId, ulong entryLow8, uint entryHigh4)
    {
        var crc = ~0u;
        crc = BitOperations.Crc32C(crc, (ulong)seq);
        crc = BitOperations.Crc32C(crc, topicId);
        crc = BitOperations.Crc32C(crc, entryLow8);
        crc = BitOperations.Crc32C(crc, entryHigh4);
        return ~crc;
    }

    /// <summary>The same check computed the slow, obvious way; used by tests and the dump tool.</summary>
    public static uint IndexEntryReference(long seq, uint topicId, ReadOnlySpan<byte> entry12)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(input, seq);
        BinaryPrimitives.WriteUInt32LittleEndian(input[8..], topicId);
        entry12[..12].CopyTo(input[12..]);
        return Compute(input);
    }
}
