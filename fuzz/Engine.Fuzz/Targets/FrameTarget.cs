using System.Buffers.Binary;
using System.Text;
using Engine.Fuzz.Oracles;
using Engine.Log;

namespace Engine.Fuzz.Targets;

/// <summary>
/// <see cref="FrameDecoder.TryRead"/> over arbitrary bytes, then, for a frame it calls valid, a walk
/// of <see cref="FrameDecoder.Entries"/> reading every field. Input:
/// <code>
/// control (1) | [expected position (8), when control bit 0 is set] | bytes at the frame's place
/// </code>
/// Control bit 0 clear: the frame is expected where its own position field says, so mutated
/// frames get past the position check; set: the 8 bytes after it are the expected position.
/// Control bit 1: the harness recomputes entry and frame checksums first (see <see cref="ChecksumRepair"/>).
/// </summary>
internal static class FrameTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var control = input[0];
        var data = input[1..];
        long expectedPosition;
        if ((control & 1) != 0)
        {
            if (data.Length < 8) return;
            expectedPosition = BinaryPrimitives.ReadInt64LittleEndian(data);
            data = data[8..];
        }
        else
        {
            expectedPosition = data.Length >= FrameHeader.PositionOffset + 8 ? BinaryPrimitives.ReadInt64LittleEndian(data[FrameHeader.PositionOffset..]) : 0;
        }
        if ((control & 2) != 0)
        {
            var repaired = data.ToArray();
            ChecksumRepair.Frame(repaired);
            Check(repaired, expectedPosition);
        }
        else
        {
            Check(data, expectedPosition);
        }
    }

    /// <summary>Decodes <paramref name="data"/> and holds every verdict to the oracles.</summary>
    public static FrameStatus Check(ReadOnlySpan<byte> data, long expectedPosition)
    {
        var status = FrameDecoder.TryRead(data, expectedPosition, out var header, out var error);
        if (status != FrameStatus.Valid)
        {
            OracleViolation.Require(error.Length > 0, $"{status} without a reason");
            OracleViolation.Require(status != FrameStatus.Empty || data[..Math.Min(data.Length, FrameHeader.Length)].IndexOfAnyExcept((byte)0) < 0,
                "Empty for a header that is not all zeros");
            return status;
        }
        OracleViolation.Require(header.FrameLength >= FrameHeader.Length && header.FrameLength <= data.Length, $"valid frame of impossible length {header.FrameLength}");
        OracleViolation.Require(header.Position == expectedPosition, $"valid frame at {header.Position}, expected at {expectedPosition}");
        var frame = data[..header.FrameLength];
        OracleViolation.Require(ReferenceCrc.FrameChecksumChainHolds(frame), "valid frame whose checksum chain fails");

        // Again over a span that ends exactly at the frame's end: a read past it would throw.
        var again = FrameDecoder.TryRead(frame, expectedPosition, out var exactHeader, out _);
        OracleViolation.Require(again == FrameStatus.Valid && exactHeader == header, $"valid with trailing bytes, {again} without them");
        ReadEveryField(frame, header);
        return status;
    }

    /// <summary>Walks a valid frame the way the log state applies it and reads every field.</summary>
    public static void ReadEveryField(ReadOnlySpan<byte> frame, FrameHeader header)
    {
        var count = 0;
        var expectedOffset = FrameHeader.Length;
        foreach (var entry in FrameDecoder.Entries(frame))
        {
            OracleViolation.Require(count < header.EntryCount, $"more entries than the header's {header.EntryCount}");
            count++;
            OracleViolation.Require(ReferenceCrc.EntryCrcHolds(entry), $"entry {count} fails its crc in a valid frame");
            switch ((EntryType)entry[EntryHeader.TypeOffset])
            {
                case EntryType.Record:
                    ReadRecord(frame, expectedOffset, entry);
                    break;
                case EntryType.TopicCreated:
                    _ = TopicCreatedEntry.TopicId(entry);
                    // Lenient on purpose: the log state decodes names as strict UTF-8, which a
                    // checksummed frame does not promise (see fuzz/README.md, "Known findings").
                    _ = Encoding.UTF8.GetString(TopicCreatedEntry.Name(entry));
                    break;
                case EntryType.TopicPruned:
                    _ = TopicPrunedEntry.TopicId(entry);
                    OracleViolation.Require(TopicPrunedEntry.FirstKeptSeq(entry) >= 0, "negative first kept seq in a valid frame");
                    break;
                default:
                    _ = entry[EntryHeader.Length..].ToArray();
                    break;
            }
            expectedOffset += FrameHeader.Align(entry.Length);
        }
        OracleViolation.Require(count == header.EntryCount, $"{count} entries, the header says {header.EntryCount}");
        OracleViolation.Require(expectedOffset == frame.Length, $"entries end at {expectedOffset} of {frame.Length}");
    }

    // A record in a valid frame must also verify on its own, read from its index position the way
    // a range read does, up to the end of the frame.
    private static void ReadRecord(ReadOnlySpan<byte> frame, int offset, ReadOnlySpan<byte> entry)
    {
        var topicId = RecordEntry.TopicId(entry);
        var seq = RecordEntry.Seq(entry);
        var timestamp = RecordEntry.Timestamp(entry);
        OracleViolation.Require(seq >= 0, "negative seq in a valid frame");
        var verified = RecordEntry.TryVerify(frame[offset..], topicId, seq, timestamp, out var body, out var error);
        OracleViolation.Require(verified, $"a record of a valid frame does not verify: {error}");
        OracleViolation.Require(body.SequenceEqual(entry[RecordEntry.BodyOffset..]), "verified body differs from the entry's");
    }
}
