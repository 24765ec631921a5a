using System.Buffers.Binary;
using Engine.Fuzz.Oracles;
using Engine.Index;
using Engine.Storage;

namespace Engine.Fuzz.Targets;

/// <summary>
/// The index readers: <see cref="IndexEntry.TryRead"/> of one slot and
/// <see cref="IndexChunkHeader.IsValid"/> of a chunk file's header. Input:
/// <code>
/// control (1) | slot (16) | topicId (4) | seq (8) | chunk (4) | chunk header bytes (any length)
/// </code>
/// A short fixed part is padded with zeros. Control bit 0: the harness recomputes the chunk
/// header's crc first, so the field checks behind it are reached.
/// </summary>
internal static class IndexTarget
{
    public const int FixedLength = 1 + IndexEntry.Size + 4 + 8 + 4;

    public static void Run(ReadOnlySpan<byte> input)
    {
        Span<byte> fixedPart = stackalloc byte[FixedLength];
        fixedPart.Clear();
        input[..Math.Min(input.Length, FixedLength)].CopyTo(fixedPart);
        var control = fixedPart[0];
        var slot = fixedPart.Slice(1, IndexEntry.Size);
        var topicId = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[17..]);
        var seq = BinaryPrimitives.ReadInt64LittleEndian(fixedPart[21..]);
        var chunk = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[29..]);
        var header = input.Length > FixedLength ? input[FixedLength..] : [];

        CheckSlot(slot, topicId, seq);
        if ((control & 1) != 0)
        {
            var repaired = header.ToArray();
            ChecksumRepair.Header64(repaired);
            CheckHeader(repaired, topicId, chunk);
        }
        else
        {
            CheckHeader(header, topicId, chunk);
        }
    }

    /// <summary>Reads a slot (exactly 16 bytes) and holds the verdict to the oracles.</summary>
    public static bool CheckSlot(ReadOnlySpan<byte> slot, uint topicId, long seq)
    {
        if (!IndexEntry.TryRead(slot, topicId, seq, out var position, out var timestamp)) return false;
        OracleViolation.Require(BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]) == Checksum.IndexEntryReference(seq, topicId, slot),
            "a slot passed the hardware check but fails the reference check");
        OracleViolation.Require(position is >= 0 and <= IndexEntry.MaxPosition && timestamp is >= 0 and <= IndexEntry.MaxTimestamp,
            $"a slot read as position {position}, timestamp {timestamp}");

        // A slot that passes must be exactly what writing its values gives: nothing is ignored.
        Span<byte> rewritten = stackalloc byte[IndexEntry.Size];
        IndexEntry.Write(rewritten, topicId, seq, position, timestamp);
        OracleViolation.Require(rewritten.SequenceEqual(slot), "a slot passed its check but does not round-trip");
        return true;
    }

    /// <summary>Checks a chunk header (any length) and holds the verdict to the oracles.</summary>
    public static bool CheckHeader(ReadOnlySpan<byte> header, uint topicId, uint chunk)
    {
        if (!IndexChunkHeader.IsValid(header, topicId, chunk)) return false;
        OracleViolation.Require(header.Length >= IndexChunkHeader.Length && ReferenceCrc.HeaderCrcHolds(header), "a chunk header passed with a failing crc");
        OracleViolation.Require(header[..8].SequenceEqual(IndexChunkHeader.Magic), "a chunk header passed without its magic");
        OracleViolation.Require(BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) == topicId && BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) == chunk,
            "a chunk header of another topic or chunk passed");
        return true;
    }
}
