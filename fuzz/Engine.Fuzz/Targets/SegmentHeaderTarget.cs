using System.Buffers.Binary;
using Engine.Fuzz.Oracles;
using Engine.Log;

namespace Engine.Fuzz.Targets;

/// <summary>
/// <see cref="SegmentHeader.TryRead"/>. Input: <c>control (1) | the first bytes of a segment file</c>.
/// Control bit 0: the harness writes the magic and recomputes the crc first, so the field checks
/// behind them are reached.
/// </summary>
internal static class SegmentHeaderTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        if ((input[0] & 1) != 0 && input.Length > SegmentHeader.Length)
        {
            var repaired = input[1..].ToArray();
            SegmentHeader.Magic.CopyTo(repaired);
            ChecksumRepair.Header64(repaired);
            Check(repaired);
        }
        else
        {
            Check(input[1..]);
        }
    }

    /// <summary>Reads a segment header and holds the verdict to the oracles.</summary>
    public static bool Check(ReadOnlySpan<byte> source)
    {
        if (!SegmentHeader.TryRead(source, out var header, out var error))
        {
            OracleViolation.Require(error.Length > 0, "a segment header failed without a reason");
            return false;
        }
        OracleViolation.Require(source.Length >= SegmentHeader.Length && source[..8].SequenceEqual(SegmentHeader.Magic), "read a header without the magic");
        OracleViolation.Require(ReferenceCrc.HeaderCrcHolds(source), "read a header whose crc fails");
        OracleViolation.Require(header.BasePosition >= 0 && header.Capacity is >= SegmentHeader.Length and <= SegmentHeader.MaxCapacity,
            $"read an implausible header: base {header.BasePosition}, capacity {header.Capacity}");
        OracleViolation.Require(header.BasePosition == BinaryPrimitives.ReadInt64LittleEndian(source[16..])
            && header.Capacity == BinaryPrimitives.ReadInt64LittleEndian(source[24..]), "the header read is not the bytes");
        return true;
    }
}
