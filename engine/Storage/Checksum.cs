using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Engine.Storage;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every frame, record, header and index entry. Long
/// buffers are hashed by System.IO.Hashing (vectorised); short ones, and the fixed 24-byte input
/// of an index entry check, with the CPU's CRC32 instruction, which gives the same value (tests
/// hold them equal).
/// </summary>
internal static class Checksum
{
    /// <summary>
    /// Below this many bytes the CRC32 instruction, a word at a time, is faster than the library's
    /// carry-less multiply folding, whose setup and final reduction a short entry does not repay
    /// (measured on x64: 12-18 GB/s against 6-13 GB/s up to 1 KiB; the library wins from 4 KiB).
    /// </summary>
    private const int WordLoopLimit = 2048;

    // Optimised from its first call: every entry of every frame is checked through here, and a
    // short-lived reader (engine verify, recovery at open) would otherwise spend most of its run
    // in the unoptimised first tier of the library's vector code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        if (data.Length >= WordLoopLimit || !BitConverter.IsLittleEndian || !(Sse42.X64.IsSupported || System.Runtime.Intrinsics.Arm.Crc32.Arm64.IsSupported))
            return Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
        var crc = ~0u;
        // Four words a turn, read without a bounds check each: the CRC32 chain is what limits
        // this loop, and the slicing and loop overhead of one word a turn cost as much again.
        ref var start = ref MemoryMarshal.GetReference(data);
        var offset = 0;
        for (var last = data.Length - 32; offset <= last; offset += 32)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 8)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 16)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 24)));
        }
        for (var last = data.Length - 8; offset <= last; offset += 8)
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
        data = data[offset..];
        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        if (data.Length >= 2)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt16LittleEndian(data));
            data = data[2..];
        }
        if (data.Length == 1) crc = BitOperations.Crc32C(crc, data[0]);
        return ~crc;
    }

    /// <summary>A running CRC-32C over several pieces.</summary>
    public static Crc32 Start() => new(Crc32ParameterSet.Crc32C);

    /// <summary>
    /// The check of an index entry: CRC-32C of <c>seq (u64) | topicId (u32) | entry bytes 0..12</c>,
    /// all little-endian, so an entry copied to the wrong slot or topic fails too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint IndexEntry(long seq, uint topicId, ulong entryLow8, uint entryHigh4)
    {
        var crc = ~0u;
        crc = BitOperations.Crc32C(crc, (ulong)seq);
        crc = BitOperations.Crc32C(crc, topicId);
        crc = BitOperations.Crc32C(crc, entryLow8);
        crc = BitOperations.Crc32C(crc, entryHigh4);
        return ~crc;
    }

    /// <summary>The same check computed the slow, obvious way; used by tests and the dump tool.</summary>
    public static uint IndexEntryReference(long seq, uint topicId, ReadOnlySpan<byte> entry12)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(input, seq);
        BinaryPrimitives.WriteUInt32LittleEndian(input[8..], topicId);
        entry12[..12].CopyTo(input[12..]);
        return Compute(input);
    }
}
