using System.Buffers.Binary;

namespace Engine.Log;

/// <summary>
/// A frame is the unit of atomicity: everything one call commits (records of any topics, proc
/// state changes) is one frame, so after a crash a call's effects are all there or none are.
/// Its 32-byte header (little-endian):
/// <code>
///  0  crc         4  CRC-32C of header bytes 4..32 followed by each entry's crc (u32) in order;
///                    each entry's crc covers that entry, so this covers header and payload
///  4  length      4  bytes of the whole frame, header and padded entries; a multiple of 8
///  8  position    8  the frame's own log position (a frame read at the wrong place fails)
/// 16  syncedUpTo  8  the log position known durable when the frame was written
/// 24  entryCount  4
/// 28  kind        1  1 = batch, 2 = seal (last frame of a full segment, no entries)
/// 29  flags       1  zero
/// 30  reserved    2  zero
/// </code>
/// <c>syncedUpTo</c> is what tells a torn tail from damage: a valid frame after a bad one whose
/// <c>syncedUpTo</c> lies beyond the bad one proves the bad bytes had reached the disk before, so
/// they were damaged later, not torn by the crash.
/// </summary>
internal readonly record struct FrameHeader(uint Crc, int FrameLength, long Position, long SyncedUpTo, int EntryCount, FrameKind Kind)
{
    public const int Length = 32;

    /// <summary>The largest frame: one commit call may carry at most this many bytes.</summary>
    public const int MaxLength = 1 << 30;

    public const int CrcOffset = 0;
    public const int LengthOffset = CrcOffset + 4;
    public const int PositionOffset = LengthOffset + 4;
    public const int SyncedUpToOffset = PositionOffset + 8;
    public const int EntryCountOffset = SyncedUpToOffset + 8;
    public const int KindOffset = EntryCountOffset + 4;
    public const int FlagsOffset = KindOffset + 1;

    /// <summary>Writes every field but the crc, which needs the entries' crcs.</summary>
    public static void WriteFields(Span<byte> destination, int frameLength, long position, long syncedUpTo, int entryCount, FrameKind kind)
    {
        var header = destination[..Length];
        header.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(header[LengthOffset..], frameLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[PositionOffset..], position);
        BinaryPrimitives.WriteInt64LittleEndian(header[SyncedUpToOffset..], syncedUpTo);
        BinaryPrimitives.WriteInt32LittleEndian(header[EntryCountOffset..], entryCount);
        header[KindOffset] = (byte)kind;
    }

    public static FrameHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source[CrcOffset..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[LengthOffset..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[PositionOffset..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[SyncedUpToOffset..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[EntryCountOffset..]),
        (FrameKind)source[KindOffset]);

    /// <summary>Rounds a length up to the 8-byte alignment of frames and entries.</summary>
    public static int Align(int length) => (length + 7) & ~7;

    public static long Align(long length) => (length + 7) & ~7L;
}

/// <summary>What a frame is.</summary>
internal enum FrameKind : byte
{
    /// <summary>One call's entries.</summary>
    Batch = 1,
    /// <summary>Closes a segment: the log continues in the next one.</summary>
    Seal = 2,
}
