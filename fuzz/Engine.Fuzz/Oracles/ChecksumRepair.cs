using System.Buffers.Binary;
using Engine.Log;

namespace Engine.Fuzz.Oracles;

/// <summary>
/// Recomputes the checksums of mutated bytes so that the fuzzer can reach the checks that sit
/// behind them (lengths, kinds, well-formedness, entry walking): a random mutation almost never
/// survives a CRC, so without repair every input would stop at the first checksum comparison.
/// Repair must itself never throw on any input: it bounds every length it reads.
/// </summary>
internal static class ChecksumRepair
{
    /// <summary>Fixes each entry's crc (as far as the entries fit) and then the frame crc.</summary>
    public static void Frame(Span<byte> frame)
    {
        if (frame.Length < FrameHeader.Length) return;
        var entryCount = BinaryPrimitives.ReadInt32LittleEndian(frame[FrameHeader.EntryCountOffset..]);
        var crcs = new List<byte>();
        long offset = FrameHeader.Length;
        for (var i = 0; i < entryCount && offset + EntryHeader.Length <= frame.Length; i++)
        {
            var entry = frame[(int)offset..];
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[EntryHeader.LengthOffset..]);
            if (length < EntryHeader.Length || length > entry.Length) break;
            Entry(entry[..length]);
            crcs.AddRange(entry[..4]);
            offset += FrameHeader.Align((long)length);
        }
        crcs.AddRange(frame[4..FrameHeader.Length]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, ReferenceCrc.Crc32C(crcs.ToArray()));
    }

    /// <summary>Fixes the crc of one unpadded entry.</summary>
    public static void Entry(Span<byte> entry)
    {
        if (entry.Length < EntryHeader.Length) return;
        BinaryPrimitives.WriteUInt32LittleEndian(entry, ReferenceCrc.Crc32C(entry[EntryHeader.LengthOffset..]));
    }

    /// <summary>Fixes the crc in the last 4 of a 64-byte file header (segment and index chunk headers).</summary>
    public static void Header64(Span<byte> header)
    {
        if (header.Length < 64) return;
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], ReferenceCrc.Crc32C(header[..60]));
    }
}
