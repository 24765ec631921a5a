using System.Buffers.Binary;
using Engine.Storage;

namespace Engine.Log;

/// <summary>
/// A record entry (<see cref="EntryType.Record"/>): after the common 12-byte entry header,
/// <code>
/// 12  topicId  4
/// 16  seq      8  0-based position in the topic
/// 24  ts       8  commit time, Unix milliseconds
/// 32  body     length - 32 bytes
/// </code>
/// Flag bit 0 marks a copy the GC wrote when it compacted the record out of an old segment; a copy
/// replaces the original in the index and changes nothing else.
/// </summary>
internal static class RecordEntry
{
    public const int TopicIdOffset = EntryHeader.Length;
    public const int SeqOffset = TopicIdOffset + 4;
    public const int TimestampOffset = SeqOffset + 8;
    public const int BodyOffset = TimestampOffset + 8;

    /// <summary>Flag of a record copied forward by compaction.</summary>
    public const byte RelocatedFlag = 1;

    /// <summary>Bytes a record with a body of <paramref name="bodyLength"/> takes in a frame, padding included.</summary>
    public static int PaddedLength(int bodyLength) => FrameHeader.Align(BodyOffset + bodyLength);

    /// <summary>Writes the record-specific fields of an entry whose payload starts at <paramref name="entry"/>.</summary>
    public static void WriteFields(Span<byte> entry, uint topicId, long seq, long timestamp)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry[TopicIdOffset..], topicId);
        BinaryPrimitives.WriteInt64LittleEndian(entry[SeqOffset..], seq);
        BinaryPrimitives.WriteInt64LittleEndian(entry[TimestampOffset..], timestamp);
    }

    public static uint TopicId(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadUInt32LittleEndian(entry[TopicIdOffset..]);

    public static long Seq(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[SeqOffset..]);

    public static long Timestamp(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[TimestampOffset..]);

    /// <summary>
    /// Verifies the record an index entry points at: its own checksum, and that it is the record
    /// the index says (topic, seq and timestamp). On success <paramref name="body"/> is the body.
    /// </summary>
    public static bool TryVerify(ReadOnlySpan<byte> available, uint topicId, long seq, long timestamp,
        out ReadOnlySpan<byte> body, out string error)
    {
        body = default;
        if (available.Length < BodyOffset) { error = "record header runs past the segment"; return false; }
        var header = EntryHeader.Read(available);
        if (header.EntryLength < BodyOffset || header.EntryLength > available.Length)
        {
            error = $"record length {header.EntryLength} is impossible here";
            return false;
        }
        var entry = available[..header.EntryLength];
        if (Checksum.Compute(entry[EntryHeader.LengthOffset..]) != header.Crc) { error = "record checksum mismatch"; return false; }
        if (header.Type != EntryType.Record || TopicId(entry) != topicId || Seq(entry) != seq || Timestamp(entry) != timestamp)
        {
            error = $"the index points at {header.Type} topic {TopicId(entry)} seq {Seq(entry)}, not topic {topicId} seq {seq}";
            return false;
        }
        body = entry[BodyOffset..];
        error = "";
        return true;
    }
}

/// <summary>
/// A topic's first appearance (<see cref="EntryType.TopicCreated"/>), in the same frame as its
/// first record: <c>12 topicId (4) | 16 nameLength (2) | 18 name (UTF-8)</c>.
/// </summary>
internal static class TopicCreatedEntry
{
    public const int TopicIdOffset = EntryHeader.Length;
    public const int NameLengthOffset = TopicIdOffset + 4;
    public const int NameOffset = NameLengthOffset + 2;

    public static int PayloadLength(int nameBytes) => NameOffset - EntryHeader.Length + nameBytes;

    public static void Write(Span<byte> entry, uint topicId, ReadOnlySpan<byte> name)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry[TopicIdOffset..], topicId);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[NameLengthOffset..], (ushort)name.Length);
        name.CopyTo(entry[NameOffset..]);
    }

    public static uint TopicId(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadUInt32LittleEndian(entry[TopicIdOffset..]);

    public static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> entry) =>
        entry.Slice(NameOffset, BinaryPrimitives.ReadUInt16LittleEndian(entry[NameLengthOffset..]));

    /// <summary>The length adds up and the name is a valid one (UTF-8, 1-255 bytes, no control characters).</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> entry) =>
        entry.Length >= NameOffset
        && entry.Length == NameOffset + BinaryPrimitives.ReadUInt16LittleEndian(entry[NameLengthOffset..])
        && Topics.Names.IsValidUtf8(Name(entry));
}

/// <summary>
/// The GC dropped a topic's records below a seq (<see cref="EntryType.TopicPruned"/>):
/// <c>12 topicId (4) | 16 firstKeptSeq (8)</c>.
/// </summary>
internal static class TopicPrunedEntry
{
    public const int TopicIdOffset = EntryHeader.Length;
    public const int FirstKeptOffset = TopicIdOffset + 4;
    public const int EntryLength = FirstKeptOffset + 8;

    public static void Write(Span<byte> entry, uint topicId, long firstKeptSeq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry[TopicIdOffset..], topicId);
        BinaryPrimitives.WriteInt64LittleEndian(entry[FirstKeptOffset..], firstKeptSeq);
    }

    public static uint TopicId(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadUInt32LittleEndian(entry[TopicIdOffset..]);

    public static long FirstKeptSeq(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[FirstKeptOffset..]);
}
