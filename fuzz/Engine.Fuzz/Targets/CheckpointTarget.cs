using System.Buffers.Binary;
using Engine.Checkpoints;
using Engine.Fuzz.Oracles;

namespace Engine.Fuzz.Targets;

/// <summary>
/// <see cref="CheckpointCodec.TryDecode"/>. Input: <c>control (1) | checkpoint file bytes</c>.
/// Control bit 0: the harness makes the header fit the bytes (magic, versions, header and
/// payload lengths) and recomputes both crcs, so the fuzzer explores the payload parser instead
/// of stopping at a checksum.
/// </summary>
internal static class CheckpointTarget
{
    private const int PayloadCrcOffset = 40;
    private const int HeaderCrcOffset = 44;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var file = input[1..].ToArray();
        if ((input[0] & 1) != 0) Repair(file);
        Check(file);
    }

    /// <summary>Decodes <paramref name="file"/> and holds the verdict to the oracles.</summary>
    public static Checkpoint? Check(byte[] file)
    {
        var checkpoint = CheckpointCodec.TryDecode(file, out var error);
        if (checkpoint is null)
        {
            OracleViolation.Require(error.Length > 0, "a checkpoint failed without a reason");
            return null;
        }
        var span = file.AsSpan();
        OracleViolation.Require(span.Length >= CheckpointCodec.HeaderLength && span[..8].SequenceEqual(CheckpointCodec.Magic), "decoded a file without the magic");
        OracleViolation.Require(BinaryPrimitives.ReadUInt32LittleEndian(span[HeaderCrcOffset..]) == ReferenceCrc.Crc32C(span[..HeaderCrcOffset]),
            "decoded a checkpoint whose header crc fails");
        OracleViolation.Require(BinaryPrimitives.ReadUInt32LittleEndian(span[PayloadCrcOffset..]) == ReferenceCrc.Crc32C(span[CheckpointCodec.HeaderLength..]),
            "decoded a checkpoint whose payload crc fails");
        OracleViolation.Require(checkpoint.LogPosition >= 0, "decoded a negative log position");

        // What was decoded must survive being written and read again. Names over 65,535 UTF-8
        // bytes cannot be written (the engine's names stop at 255), so they are not asked to.
        if (checkpoint.Topics.All(t => System.Text.Encoding.UTF8.GetByteCount(t.Name) <= ushort.MaxValue))
        {
            var again = CheckpointCodec.TryDecode(CheckpointCodec.Encode(checkpoint), out var againError);
            OracleViolation.Require(again is not null && CheckpointEquality.Same(checkpoint, again), $"a decoded checkpoint does not survive re-encoding: {againError}");
        }
        return checkpoint;
    }

    private static void Repair(byte[] file)
    {
        if (file.Length < CheckpointCodec.HeaderLength) return;
        var span = file.AsSpan();
        CheckpointCodec.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], CheckpointCodec.MinReaderVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], CheckpointCodec.HeaderLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], file.Length - CheckpointCodec.HeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[PayloadCrcOffset..], ReferenceCrc.Crc32C(span[CheckpointCodec.HeaderLength..]));
        BinaryPrimitives.WriteUInt32LittleEndian(span[HeaderCrcOffset..], ReferenceCrc.Crc32C(span[..HeaderCrcOffset]));
    }
}
