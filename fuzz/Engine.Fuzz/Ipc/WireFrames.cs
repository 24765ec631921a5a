using System.Buffers.Binary;
using Engine.Ipc.Protocol;

namespace Engine.Fuzz.Ipc;

/// <summary>
/// An IPC frame's bytes (length prefix, kind, request id, payload), written here independently of
/// the engine's FrameBuffer so the frame target's oracle does not share the code it checks.
/// </summary>
internal static class WireFrames
{
    public static byte[] Bytes(FrameKind kind, uint requestId, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Wire.LengthPrefix + Wire.HeaderLength + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Wire.HeaderLength + payload.Length);
        bytes[Wire.LengthPrefix] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Wire.LengthPrefix + 1), requestId);
        payload.CopyTo(bytes.AsSpan(Wire.LengthPrefix + Wire.HeaderLength));
        return bytes;
    }
}
