using System.Buffers.Binary;
using System.IO.Hashing;
using Engine.Log;

namespace Engine.Fuzz.Oracles;

/// <summary>
/// The checksums of format-spec.md recomputed the plain way, with System.IO.Hashing over the bytes
/// the spec names, so a verdict of the engine (which uses the CPU's CRC32 instruction for some
/// of them) is checked by code that shares nothing with it but the definition.
/// </summary>
internal static class ReferenceCrc
{
    public static uint Crc32C(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>
    /// True when every entry's crc and the frame's crc hold: the frame crc is CRC-32C over each
    /// entry's stored crc (u32, in order) followed by header bytes 4..32. Walks entries by their
    /// own lengths and is false, never throwing, for anything that does not fit
    /// <paramref name="frame"/> exactly.
    /// </summary>
    public static bool FrameChecksumChainHolds(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < FrameHeader.Length) return false;
        var entryCount = BinaryPrimitives.ReadInt32LittleEndian(frame[FrameHeader.EntryCountOffset..]);
        var chain = new Crc32(Crc32ParameterSet.Crc32C);
        long offset = FrameHeader.Length;
        for (var i = 0; i < entryCount; i++)
        {
            if (offset + EntryHeader.Length > frame.Length) return false;
            var entry = frame[(int)offset..];
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[EntryHeader.LengthOffset..]);
            if (length < EntryHeader.Length || offset + length > frame.Length) return false;
            if (!EntryCrcHolds(entry[..length])) return false;
            chain.Append(entry[..4]);
            offset += FrameHeader.Align((long)length);
        }
        if (offset != frame.Length) return false;
        chain.Append(frame[4..FrameHeader.Length]);
        return chain.GetCurrentHashAsUInt32() == BinaryPrimitives.ReadUInt32LittleEndian(frame);
    }

    /// <summary>True when an (unpadded) entry's stored crc is CRC-32C of its bytes 4..length.</summary>
    public static bool EntryCrcHolds(ReadOnlySpan<byte> entry) =>
        entry.Length >= EntryHeader.Length
        && BinaryPrimitives.ReadUInt32LittleEndian(entry) == Crc32C(entry[EntryHeader.LengthOffset..]);

    /// <summary>True when a 64-byte file header's last 4 bytes are CRC-32C of the 60 before them.</summary>
    public static bool HeaderCrcHolds(ReadOnlySpan<byte> header64) =>
        header64.Length >= 64 && BinaryPrimitives.ReadUInt32LittleEndian(header64[60..]) == Crc32C(header64[..60]);
}
