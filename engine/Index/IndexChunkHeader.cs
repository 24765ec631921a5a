using System.Buffers.Binary;
using Engine.Storage;

namespace Engine.Index;

/// <summary>
/// The 64 bytes at the start of an index chunk file (<c>index/&lt;topicId:x8&gt;-&lt;chunk:x8&gt;.idx</c>),
/// which holds the slots of seqs <c>chunk * 65536 .. chunk * 65536 + 65535</c> of one topic:
/// <code>
///  0  magic        8  "ENGIDX\r\n"
///  8  version      2
/// 10  minVersion   2
/// 12  headerLength 4  64
/// 16  topicId      4
/// 20  chunk        4
/// 24  slots        4  65536
/// 28  slotSize     4  16
/// 32  reserved    28  zero
/// 60  crc          4  CRC-32C of bytes 0..60
/// </code>
/// Index files are derived data: no fsync when they are written, only before a checkpoint that
/// vouches for them; anything missing or damaged is rebuilt from the log.
/// </summary>
internal static class IndexChunkHeader
{
    public const int Length = 64;
    public const ushort CurrentVersion = 1;
    public const ushort MinReaderVersion = 1;
    public static ReadOnlySpan<byte> Magic => "ENGIDX\r\n"u8;

    private const int VersionOffset = 8;
    private const int MinVersionOffset = VersionOffset + 2;
    private const int HeaderLengthOffset = MinVersionOffset + 2;
    private const int TopicIdOffset = HeaderLengthOffset + 4;
    private const int ChunkOffset = TopicIdOffset + 4;
    private const int SlotsOffset = ChunkOffset + 4;
    private const int SlotSizeOffset = SlotsOffset + 4;
    private const int CrcOffset = Length - 4;

    public static void Write(Span<byte> destination, uint topicId, uint chunk)
    {
        var header = destination[..Length];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VersionOffset..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[MinVersionOffset..], MinReaderVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeaderLengthOffset..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[TopicIdOffset..], topicId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[ChunkOffset..], chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SlotsOffset..], TopicIndex.SlotsPerChunk);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SlotSizeOffset..], IndexEntry.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CrcOffset..], Checksum.Compute(header[..CrcOffset]));
    }

    /// <summary>True when the header is intact and belongs to this topic and chunk.</summary>
    public static bool IsValid(ReadOnlySpan<byte> source, uint topicId, uint chunk) =>
        source.Length >= Length
        && source[..8].SequenceEqual(Magic)
        && BinaryPrimitives.ReadUInt32LittleEndian(source[CrcOffset..]) == Checksum.Compute(source[..CrcOffset])
        && BinaryPrimitives.ReadUInt16LittleEndian(source[MinVersionOffset..]) <= CurrentVersion
        && BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderLengthOffset..]) == Length
        && BinaryPrimitives.ReadUInt32LittleEndian(source[TopicIdOffset..]) == topicId
        && BinaryPrimitives.ReadUInt32LittleEndian(source[ChunkOffset..]) == chunk
        && BinaryPrimitives.ReadUInt32LittleEndian(source[SlotsOffset..]) == TopicIndex.SlotsPerChunk
        && BinaryPrimitives.ReadUInt32LittleEndian(source[SlotSizeOffset..]) == IndexEntry.Size;
}
