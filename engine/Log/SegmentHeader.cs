using System.Buffers.Binary;
using Engine.Storage;

namespace Engine.Log;

/// <summary>
/// The 64 bytes at the start of every segment file (all little-endian):
/// <code>
///  0  magic         8  "ENGSEG\r\n" (the CR LF catches text-mode mangling)
///  8  version       2  format version that wrote the file
/// 10  minVersion    2  oldest reader version that can read it
/// 12  headerLength  4  64
/// 16  basePosition  8  log position of file offset 0
/// 24  capacity      8  file length; the next segment starts at basePosition + capacity
/// 32  createdAtMs   8  Unix milliseconds, for people reading a dump
/// 40  reserved     20  zero
/// 60  crc           4  CRC-32C of bytes 0..60
/// </code>
/// Frames follow from offset 64. The header is written and fsync'd before the file gets its final
/// name, so a segment file that exists under its final name always has a valid header.
/// </summary>
internal readonly record struct SegmentHeader(long BasePosition, long Capacity, long CreatedAtMs, ushort Version)
{
    public const int Length = 64;
    public const ushort CurrentVersion = 1;
    public const ushort MinReaderVersion = 1;
    public static ReadOnlySpan<byte> Magic => "ENGSEG\r\n"u8;

    private const int MagicOffset = 0;
    private const int VersionOffset = MagicOffset + 8;
    private const int MinVersionOffset = VersionOffset + 2;
    private const int HeaderLengthOffset = MinVersionOffset + 2;
    private const int BasePositionOffset = HeaderLengthOffset + 4;
    private const int CapacityOffset = BasePositionOffset + 8;
    private const int CreatedAtOffset = CapacityOffset + 8;
    private const int CrcOffset = Length - 4;

    public void Write(Span<byte> destination)
    {
        var header = destination[..Length];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VersionOffset..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[MinVersionOffset..], MinReaderVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeaderLengthOffset..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[BasePositionOffset..], BasePosition);
        BinaryPrimitives.WriteInt64LittleEndian(header[CapacityOffset..], Capacity);
        BinaryPrimitives.WriteInt64LittleEndian(header[CreatedAtOffset..], CreatedAtMs);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CrcOffset..], Checksum.Compute(header[..CrcOffset]));
    }

    /// <summary>Reads and checks a header; the error says what is wrong with it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SegmentHeader header, out string error)
    {
        header = default;
        if (source.Length < Length) { error = $"file is {source.Length} bytes, shorter than its {Length}-byte header"; return false; }
        if (!source[..8].SequenceEqual(Magic)) { error = "bad magic: not a segment file"; return false; }
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(source[CrcOffset..]);
        if (crc != Checksum.Compute(source[..CrcOffset])) { error = "header checksum mismatch"; return false; }
        var minVersion = BinaryPrimitives.ReadUInt16LittleEndian(source[MinVersionOffset..]);
        if (minVersion > CurrentVersion) { error = $"written by a newer format (needs reader version {minVersion}, this is {CurrentVersion})"; return false; }
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderLengthOffset..]);
        if (headerLength != Length) { error = $"header length {headerLength}, expected {Length}"; return false; }
        var basePosition = BinaryPrimitives.ReadInt64LittleEndian(source[BasePositionOffset..]);
        var capacity = BinaryPrimitives.ReadInt64LittleEndian(source[CapacityOffset..]);
        if (basePosition < 0 || capacity < Length + FrameHeader.Length * 2 || capacity > MaxCapacity)
        {
            error = $"implausible base {basePosition} or capacity {capacity}";
            return false;
        }
        header = new SegmentHeader(basePosition, capacity,
            BinaryPrimitives.ReadInt64LittleEndian(source[CreatedAtOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[VersionOffset..]));
        error = "";
        return true;
    }

    /// <summary>No segment is larger than this: a frame is at most <see cref="FrameHeader.MaxLength"/>.</summary>
    public const long MaxCapacity = 2L * FrameHeader.MaxLength;
}
