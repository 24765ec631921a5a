using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Engine.Storage;

namespace Engine.Index;

/// <summary>
/// One slot of a topic index, 16 bytes, at offset <c>64 + (seq mod 65536) * 16</c> of its chunk:
/// <code>
///  0  position   6  log position of the record entry (u48, little-endian)
///  6  timestamp  6  the record's ts in Unix ms (u48)
/// 12  check      4  CRC-32C of seq (u64) | topicId (u32) | bytes 0..12, little-endian
/// </code>
/// The check makes a slot never written (zeros), torn, flipped or copied to the wrong seq or
/// topic fail when it is read, so a damaged index is noticed and rebuilt from the log instead
/// of sending a reader to the wrong place.
/// </summary>
internal static class IndexEntry
{
    public const int Size = 16;
    public const long MaxPosition = (1L << 48) - 1;
    public const long MaxTimestamp = (1L << 48) - 1;

    public static void Write(Span<byte> slot, uint topicId, long seq, long position, long timestamp)
    {
        var low8 = (ulong)position | ((ulong)timestamp << 48);
        var high4 = (uint)((ulong)timestamp >> 16);
        BinaryPrimitives.WriteUInt64LittleEndian(slot, low8);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[8..], high4);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[12..], Checksum.IndexEntry(seq, topicId, low8, high4));
    }

    /// <summary>Reads a slot; false when its check fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into engine verify's check of every record
    public static bool TryRead(ReadOnlySpan<byte> slot, uint topicId, long seq, out long position, out long timestamp)
    {
        var low8 = BinaryPrimitives.ReadUInt64LittleEndian(slot);
        var high4 = BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]);
        position = (long)(low8 & MaxPosition);
        timestamp = (long)((low8 >> 48) | ((ulong)high4 << 16));
        return BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]) == Checksum.IndexEntry(seq, topicId, low8, high4);
    }
}
