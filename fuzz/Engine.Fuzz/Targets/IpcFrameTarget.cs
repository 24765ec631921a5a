using System.Buffers;
using System.Buffers.Binary;
using Engine.Fuzz.Ipc;
using Engine.Fuzz.Oracles;
using Engine.Ipc.Protocol;

namespace Engine.Fuzz.Targets;

/// <summary>
/// <see cref="FrameParser.TryRead"/>, over bytes a remote peer sent. Input:
/// <c>control (1) | received bytes</c>. Control bits 0-3 pick how the bytes are cut into the
/// segments of the received sequence (1 to 16 bytes each; 0: one segment), bits 4-7 the frame
/// limit (64 bytes to 2 MiB). The oracles: only a protocol error escapes; the cut does not change
/// the verdict; every frame is what its header says; the frames written back are the bytes taken.
/// </summary>
internal static class IpcFrameTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var bytes = input[1..].ToArray();
        var chunk = input[0] & 0x0F;
        var maxFrame = 64 << (input[0] >> 4); // 64 B to 2 MiB
        var whole = Parse(new ReadOnlySequence<byte>(bytes), maxFrame);
        var cut = chunk == 0 ? whole : Parse(ChunkedSequence.Of(bytes, chunk), maxFrame);

        OracleViolation.Require(whole.Error == cut.Error, $"cutting the input into {chunk}-byte segments changed the verdict: {whole.Error} and {cut.Error}");
        OracleViolation.Require(whole.Frames.Count == cut.Frames.Count && whole.Taken == cut.Taken, "cutting the input changed the frames read");
        for (var i = 0; i < whole.Frames.Count; i++)
            OracleViolation.Require(whole.Frames[i].SequenceEqual(cut.Frames[i]), $"frame {i} differs when the input is cut");

        // The frames read, written back with their prefixes, are exactly the bytes taken.
        var written = whole.Frames.SelectMany(f => f).ToArray();
        OracleViolation.Require(written.Length == whole.Taken && written.AsSpan().SequenceEqual(bytes.AsSpan(0, (int)whole.Taken)),
            "the frames read are not the bytes they were read from");
    }

    private sealed record Outcome(List<byte[]> Frames, long Taken, string? Error);

    private static Outcome Parse(ReadOnlySequence<byte> buffer, int maxFrame)
    {
        var frames = new List<byte[]>();
        var start = buffer.Length;
        try
        {
            while (FrameParser.TryRead(ref buffer, maxFrame, out var frame))
            {
                OracleViolation.Require(Enum.IsDefined(frame.Kind), $"a frame of unknown kind {(byte)frame.Kind} was read");
                OracleViolation.Require(frame.Length + Wire.HeaderLength <= maxFrame, "a frame over the limit was read");
                frames.Add(WireFrames.Bytes(frame.Kind, frame.RequestId, frame.Memory.Span));
            }
            // Stopped for want of bytes: what is left must be short of the frame it announces.
            if (buffer.Length >= Wire.LengthPrefix + Wire.HeaderLength)
            {
                Span<byte> prefix = stackalloc byte[Wire.LengthPrefix];
                buffer.Slice(0, Wire.LengthPrefix).CopyTo(prefix);
                OracleViolation.Require(buffer.Length < Wire.LengthPrefix + (long)BinaryPrimitives.ReadInt32LittleEndian(prefix),
                    "the parser waits for more bytes than the frame it holds needs");
            }
            return new Outcome(frames, start - buffer.Length, null);
        }
        catch (Exception e) when (e is WireFormatException or FrameTooLargeException)
        {
            return new Outcome(frames, start - buffer.Length, e.GetType().Name);
        }
    }
}
