using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Engine.Log;

/// <summary>
/// Every entry inside a frame starts with 12 bytes (little-endian), is padded with zeros to a
/// multiple of 8, and carries its own CRC so a single record can be verified when it is read
/// straight from its index position, without reading the frame around it:
/// <code>
///  0  crc       4  CRC-32C of the entry's bytes 4..length (not the padding)
///  4  length    4  the entry's length without padding, header included
///  8  type      1  an <see cref="EntryType"/>
///  9  flags     1  type-specific
/// 10  reserved  2  zero
/// </code>
/// </summary>
internal readonly record struct EntryHeader(uint Crc, int EntryLength, EntryType Type, byte Flags)
{
    public const int Length = 12;
    public const int CrcOffset = 0;
    public const int LengthOffset = CrcOffset + 4;
    public const int TypeOffset = LengthOffset + 4;
    public const int FlagsOffset = TypeOffset + 1;

    public static void WriteFields(Span<byte> destination, int entryLength, EntryType type, byte flags)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination[LengthOffset..], entryLength);
        destination[TypeOffset] = (byte)type;
        destination[FlagsOffset] = flags;
        destination[10] = 0;
        destination[11] = 0;
    }

    // Inlined: read for every entry by the decoder's loop, which is compiled optimised from its
    // first call and, without a profile, would otherwise call this through its slow first tier.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EntryHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source[CrcOffset..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[LengthOffset..]),
        (EntryType)source[TypeOffset],
        source[FlagsOffset]);
}

/// <summary>The kinds of entry a frame may hold.</summary>
internal enum EntryType : byte
{
    /// <summary>A record of a topic: see <see cref="RecordEntry"/>.</summary>
    Record = 1,
    /// <summary>A topic's first appearance: its id and name.</summary>
    TopicCreated = 2,
    /// <summary>The GC dropped a topic's records below a seq.</summary>
    TopicPruned = 3,
    /// <summary>A proc was created, with all of its options.</summary>
    ProcCreated = 16,
    /// <summary>A proc claimed a range.</summary>
    ProcClaimed = 17,
    /// <summary>A proc acknowledged its open claim.</summary>
    ProcAcked = 18,
    /// <summary>A proc's claim was given back (by a call or by timeout).</summary>
    ProcReclaimed = 19,
    /// <summary>A proc was disabled or resumed.</summary>
    ProcStatusChanged = 20,
    /// <summary>A proc was destroyed.</summary>
    ProcDestroyed = 21,
    /// <summary>A system proc was registered (or replaced).</summary>
    SystemProcRegistered = 32,
    /// <summary>A system proc was removed.</summary>
    SystemProcRemoved = 33,
}
