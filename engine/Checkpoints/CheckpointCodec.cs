using System.Buffers.Binary;
using System.Text;
using Engine.Storage;

namespace Engine.Checkpoints;

/// <summary>
/// Checkpoint file layout (little-endian):
/// <code>
///  0  magic          8  "ENGCKPT\n"
///  8  version        2
/// 10  minVersion     2
/// 12  headerLength   4  48
/// 16  generation     8  higher is newer; the two slots alternate
/// 24  logPosition    8  replay starts here
/// 32  payloadLength  4
/// 36  flags          4  bit 0: written by a clean shutdown
/// 40  payloadCrc     4  CRC-32C of the payload
/// 44  headerCrc      4  CRC-32C of bytes 0..44
/// 48  payload: sections, each  type (u16) | length (u32) | bytes
/// </code>
/// Section 1 (topics): nextTopicId (u32), count (u32), then per topic
/// id (u32) | nameLength (u16) | name | nextSeq (u64) | firstSeq (u64) | lastTimestamp (i64).
/// Section 4 (segments, from version 2): count (u32), then each live segment's base (i64), in
/// order: the segment catalog, which may have holes where the GC retired segments.
/// A reader skips sections it does not know; <c>minVersion</c> guards changes it must understand:
/// it is 2 because a reader that does not know the catalog would take its holes for lost segments.
/// </summary>
internal static class CheckpointCodec
{
    public const int HeaderLength = 48;
    public const ushort CurrentVersion = 2;
    public const ushort MinReaderVersion = 2;
    public const ushort TopicsSection = 1;
    public const ushort SegmentsSection = 4;
    public static ReadOnlySpan<byte> Magic => "ENGCKPT\n"u8;

    private const int VersionOffset = 8;
    private const int MinVersionOffset = VersionOffset + 2;
    private const int HeaderLengthOffset = MinVersionOffset + 2;
    private const int GenerationOffset = HeaderLengthOffset + 4;
    private const int LogPositionOffset = GenerationOffset + 8;
    private const int PayloadLengthOffset = LogPositionOffset + 8;
    private const int FlagsOffset = PayloadLengthOffset + 4;
    private const int PayloadCrcOffset = FlagsOffset + 4;
    private const int HeaderCrcOffset = PayloadCrcOffset + 4;
    private const uint CleanShutdownFlag = 1;

    public static byte[] Encode(Checkpoint checkpoint)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WriteSection(writer, TopicsSection, w =>
            {
                w.Write(checkpoint.NextTopicId);
                w.Write(checkpoint.Topics.Count);
                foreach (var topic in checkpoint.Topics)
                {
                    var name = Encoding.UTF8.GetBytes(topic.Name);
                    w.Write(topic.Id);
                    w.Write((ushort)name.Length);
                    w.Write(name);
                    w.Write(topic.NextSeq);
                    w.Write(topic.FirstSeq);
                    w.Write(topic.LastTimestamp);
                }
            });
            foreach (var (type, bytes) in checkpoint.Sections.OrderBy(s => s.Key))
                WriteSection(writer, type, w => w.Write(bytes));
            if (checkpoint.Segments is { } segments)
            {
                WriteSection(writer, SegmentsSection, w =>
                {
                    w.Write(segments.Count);
                    foreach (var basePosition in segments) w.Write(basePosition);
                });
            }
        }
        var body = payload.ToArray();
        var file = new byte[HeaderLength + body.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(VersionOffset), CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(MinVersionOffset), MinReaderVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderLengthOffset), HeaderLength);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(GenerationOffset), checkpoint.Generation);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(LogPositionOffset), checkpoint.LogPosition);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(PayloadLengthOffset), body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(FlagsOffset), checkpoint.CleanShutdown ? CleanShutdownFlag : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(PayloadCrcOffset), Checksum.Compute(body));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderCrcOffset), Checksum.Compute(file.AsSpan(0, HeaderCrcOffset)));
        body.CopyTo(file, HeaderLength);
        return file;
    }

    /// <summary>Decodes a checkpoint; null with a reason when the bytes are not an intact one.</summary>
    public static Checkpoint? TryDecode(byte[] file, out string error)
    {
        var span = file.AsSpan();
        if (span.Length < HeaderLength || !span[..8].SequenceEqual(Magic)) { error = "not a checkpoint"; return null; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[HeaderCrcOffset..]) != Checksum.Compute(span[..HeaderCrcOffset])) { error = "header checksum mismatch"; return null; }
        var minVersion = BinaryPrimitives.ReadUInt16LittleEndian(span[MinVersionOffset..]);
        if (minVersion > CurrentVersion) { error = $"written by a newer format (needs reader version {minVersion})"; return null; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[HeaderLengthOffset..]) != HeaderLength) { error = "unknown header length"; return null; }
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[PayloadLengthOffset..]);
        if (payloadLength < 0 || payloadLength != span.Length - HeaderLength) { error = $"payload length {payloadLength} does not match the file"; return null; }
        var payload = span.Slice(HeaderLength, payloadLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[PayloadCrcOffset..]) != Checksum.Compute(payload)) { error = "payload checksum mismatch"; return null; }
        try
        {
            return DecodePayload(file, payloadLength,
                BinaryPrimitives.ReadInt64LittleEndian(span[GenerationOffset..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[LogPositionOffset..]),
                (BinaryPrimitives.ReadUInt32LittleEndian(span[FlagsOffset..]) & CleanShutdownFlag) != 0,
                out error);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            error = $"malformed payload: {e.Message}";
            return null;
        }
    }

    private static Checkpoint? DecodePayload(byte[] file, int payloadLength, long generation, long logPosition, bool clean, out string error)
    {
        uint nextTopicId = 1;
        var topics = new List<TopicCheckpoint>();
        var sections = new Dictionary<ushort, byte[]>();
        long[]? segments = null;
        using var reader = new BinaryReader(new MemoryStream(file, HeaderLength, payloadLength, writable: false), Encoding.UTF8);
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var type = reader.ReadUInt16();
            var length = reader.ReadInt32();
            if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position) { error = $"section {type} overruns the file"; return null; }
            var bytes = reader.ReadBytes(length);
            if (type == TopicsSection) nextTopicId = ReadTopics(bytes, topics);
            else if (type == SegmentsSection) segments = ReadSegments(bytes);
            else sections[type] = bytes;
        }
        if (logPosition < 0) { error = "negative log position"; return null; }
        error = "";
        return new Checkpoint(generation, logPosition, clean, nextTopicId, topics, sections, segments);
    }

    private static long[] ReadSegments(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * 8 != bytes.Length - 4) throw new ArgumentException($"segment count {count} does not match the section's {bytes.Length} bytes");
        var segments = new long[count];
        for (var i = 0; i < count; i++)
        {
            segments[i] = reader.ReadInt64();
            if (segments[i] < 0 || (i > 0 && segments[i] <= segments[i - 1])) throw new ArgumentException($"segment bases are not rising at entry {i}");
        }
        return segments;
    }

    private static uint ReadTopics(byte[] bytes, List<TopicCheckpoint> topics)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var nextTopicId = reader.ReadUInt32();
        var count = reader.ReadInt32();
        if (count < 0 || count > bytes.Length) throw new EndOfStreamException($"topic count {count}");
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadUInt32();
            var nameLength = reader.ReadUInt16();
            var name = Encoding.UTF8.GetString(reader.ReadBytes(nameLength));
            var nextSeq = reader.ReadInt64();
            var firstSeq = reader.ReadInt64();
            var lastTimestamp = reader.ReadInt64();
            if (nextSeq < 0 || firstSeq < 0 || firstSeq > nextSeq) throw new ArgumentException($"topic '{name}' has seqs {firstSeq}..{nextSeq}");
            topics.Add(new TopicCheckpoint(id, name, nextSeq, firstSeq, lastTimestamp));
        }
        if (reader.BaseStream.Position != bytes.Length) throw new ArgumentException("trailing bytes in the topics section");
        return nextTopicId;
    }

    private static void WriteSection(BinaryWriter writer, ushort type, Action<BinaryWriter> write)
    {
        using var section = new MemoryStream();
        using (var sectionWriter = new BinaryWriter(section, Encoding.UTF8, leaveOpen: true)) write(sectionWriter);
        writer.Write(type);
        writer.Write((int)section.Length);
        writer.Write(section.GetBuffer(), 0, (int)section.Length);
    }
}
