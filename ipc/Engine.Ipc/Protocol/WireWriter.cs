using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Engine.Ipc.Protocol;

/// <summary>
/// Writes the primitives of the wire format (little-endian integers; strings and byte blocks as a
/// u32 length then the bytes; -1 for a null string) into a growing buffer.
/// </summary>
internal sealed class WireWriter(ArrayBufferWriter<byte> buffer)
{
    public ArrayBufferWriter<byte> Buffer => buffer;

    public void U8(byte value) => Span(1)[0] = value;

    public void Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    public void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Span(2), value);

    public void I32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Span(4), value);

    public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Span(4), value);

    public void I64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), value);

    public void String(string? value)
    {
        if (value is null)
        {
            I32(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        I32(length);
        Encoding.UTF8.GetBytes(value, Span(length));
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        I32(value.Length);
        value.CopyTo(Span(value.Length));
    }

    private Span<byte> Span(int length)
    {
        var span = buffer.GetSpan(length)[..length];
        buffer.Advance(length);
        return span;
    }
}
