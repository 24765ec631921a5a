using System.Buffers;

namespace Engine.Ipc.Protocol;

/// <summary>A frame taken off the input: its kind, request id and payload (copied, so the input can move on).</summary>
internal readonly record struct IncomingFrame(FrameKind Kind, uint RequestId, byte[] Payload, int Length)
{
    public ReadOnlyMemory<byte> Memory => Payload.AsMemory(0, Length);
}

/// <summary>
/// Cuts frames out of received bytes. The length is checked against the limit as soon as its four
/// bytes are in, so an oversized frame is refused before any of its payload is waited for.
/// </summary>
internal static class FrameParser
{
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrame, out IncomingFrame frame)
    {
        frame = default;
        if (buffer.Length < Wire.LengthPrefix + Wire.HeaderLength)
        {
            if (buffer.Length >= Wire.LengthPrefix) CheckLength(ReadLength(buffer), maxFrame);
            return false;
        }
        var length = ReadLength(buffer);
        CheckLength(length, maxFrame);
        if (buffer.Length < Wire.LengthPrefix + (long)length) return false;
        var reader = new SequenceReader<byte>(buffer.Slice(Wire.LengthPrefix, length));
        reader.TryRead(out var kind);
        reader.TryReadLittleEndian(out int requestId);
        var payloadLength = length - Wire.HeaderLength;
        // A fresh array: answers hand out slices of it (entry bodies), so it is not pooled.
        var payload = payloadLength == 0 ? [] : new byte[payloadLength];
        reader.UnreadSequence.CopyTo(payload);
        if (!Enum.IsDefined((FrameKind)kind)) throw new WireFormatException($"unknown frame kind {kind}");
        frame = new IncomingFrame((FrameKind)kind, (uint)requestId, payload, payloadLength);
        buffer = buffer.Slice(Wire.LengthPrefix + (long)length);
        return true;
    }

    private static int ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[Wire.LengthPrefix];
        buffer.Slice(0, Wire.LengthPrefix).CopyTo(prefix);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(prefix);
    }

    private static void CheckLength(int length, int maxFrame)
    {
        if (length < Wire.HeaderLength) throw new WireFormatException($"a frame of {length} bytes is shorter than a frame header");
        if (length > maxFrame) throw new FrameTooLargeException($"a frame of {length} bytes is over the limit of {maxFrame}");
    }
}

/// <summary>The peer announced a frame larger than this side accepts.</summary>
internal sealed class FrameTooLargeException(string message) : Exception(message);
