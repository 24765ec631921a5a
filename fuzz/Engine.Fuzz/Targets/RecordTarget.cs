using System.Buffers.Binary;
using Engine.Fuzz.Oracles;
using Engine.Log;

namespace Engine.Fuzz.Targets;

/// <summary>
/// <see cref="RecordEntry.TryVerify"/>, the check of a record read straight from its index
/// position. Input:
/// <code>
/// control (1) | [topicId (4) | seq (8) | ts (8), when control bit 0 is set] | bytes from the entry on
/// </code>
/// Control bit 0 clear: the index is taken to point at what the entry itself claims to be, so
/// mutated entries get past the identity check; set: the 20 bytes after it say what the index
/// expects. Control bit 1: the harness recomputes the entry's crc first.
/// </summary>
internal static class RecordTarget
{
    private const int IdentityLength = 4 + 8 + 8;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var control = input[0];
        var data = input[1..];
        uint topicId;
        long seq, timestamp;
        if ((control & 1) != 0)
        {
            if (data.Length < IdentityLength) return;
            topicId = BinaryPrimitives.ReadUInt32LittleEndian(data);
            seq = BinaryPrimitives.ReadInt64LittleEndian(data[4..]);
            timestamp = BinaryPrimitives.ReadInt64LittleEndian(data[12..]);
            data = data[IdentityLength..];
        }
        else if (data.Length >= RecordEntry.BodyOffset)
        {
            (topicId, seq, timestamp) = (RecordEntry.TopicId(data), RecordEntry.Seq(data), RecordEntry.Timestamp(data));
        }
        else
        {
            (topicId, seq, timestamp) = (0, 0, 0);
        }
        if ((control & 2) != 0 && data.Length >= EntryHeader.Length)
        {
            var repaired = data.ToArray();
            var length = BinaryPrimitives.ReadInt32LittleEndian(repaired.AsSpan(EntryHeader.LengthOffset));
            if (length >= EntryHeader.Length && length <= repaired.Length) ChecksumRepair.Entry(repaired.AsSpan(0, length));
            Check(repaired, topicId, seq, timestamp);
        }
        else
        {
            Check(data, topicId, seq, timestamp);
        }
    }

    /// <summary>Verifies <paramref name="available"/> and holds the verdict to the oracles.</summary>
    public static bool Check(ReadOnlySpan<byte> available, uint topicId, long seq, long timestamp)
    {
        if (!RecordEntry.TryVerify(available, topicId, seq, timestamp, out var body, out var error))
        {
            OracleViolation.Require(error.Length > 0, "a record failed without a reason");
            return false;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(available[EntryHeader.LengthOffset..]);
        OracleViolation.Require(length >= RecordEntry.BodyOffset && length <= available.Length, $"verified a record of impossible length {length}");
        var entry = available[..length];
        OracleViolation.Require(ReferenceCrc.EntryCrcHolds(entry), "verified a record whose crc fails");
        OracleViolation.Require(entry[EntryHeader.TypeOffset] == (byte)EntryType.Record, "verified an entry that is not a record");
        OracleViolation.Require(RecordEntry.TopicId(entry) == topicId && RecordEntry.Seq(entry) == seq && RecordEntry.Timestamp(entry) == timestamp,
            "verified a record that is not the one the index expects");
        OracleViolation.Require(body.SequenceEqual(entry[RecordEntry.BodyOffset..]), "the verified body is not the entry's body");

        // Again over a span that ends exactly at the entry's end: a read past it would throw.
        OracleViolation.Require(RecordEntry.TryVerify(entry, topicId, seq, timestamp, out var exactBody, out _) && exactBody.SequenceEqual(body),
            "verifies with trailing bytes, not without them");
        return true;
    }
}
