using System.Buffers.Binary;
using System.Text;

namespace Engine.Ipc.Protocol;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote from one received frame. Every length is checked
/// against what is left before it is used; a frame that does not hold what it should is a
/// <see cref="WireFormatException"/>: a malformed frame closes the connection that sent it, and
/// malformed arguments in a well-formed request get an InvalidArgument answer.
/// </summary>
internal sealed class WireReader(ReadOnlyMemory<byte> frame)
{
    private int _offset;

    public bool AtEnd => _offset == frame.Length;

    /// <summary>What is left of the frame, from the next field on.</summary>
    public ReadOnlyMemory<byte> Rest => frame[_offset..];

    public byte U8() => Take(1).Span[0];

    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        var other => throw new WireFormatException($"{other} is not a boolean"),
    };

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2).Span);

    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4).Span);

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4).Span);

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8).Span);

    public string? NullableString()
    {
        var length = I32();
        if (length == -1) return null;
        try
        {
            return StrictUtf8.GetString(Take(Checked(length)).Span);
        }
        catch (DecoderFallbackException)
        {
            throw new WireFormatException("a string is not UTF-8");
        }
    }

    public string String() => NullableString() ?? throw new WireFormatException("a required string is null");

    /// <summary>A byte block, as a slice of the frame (no copy).</summary>
    public ReadOnlyMemory<byte> Bytes() => Take(Checked(I32()));

    /// <summary>A count of items that each take at least <paramref name="minimumItemBytes"/>: bounded by what is left.</summary>
    public int Count(int minimumItemBytes = 1)
    {
        var count = I32();
        if (count < 0 || (long)count * minimumItemBytes > frame.Length - _offset)
            throw new WireFormatException($"a count of {count} cannot fit in what is left of the frame");
        return count;
    }

    public void ExpectEnd()
    {
        if (!AtEnd) throw new WireFormatException($"{frame.Length - _offset} unexpected bytes at the end of a frame");
    }

    private int Checked(int length)
    {
        if (length < 0 || length > frame.Length - _offset) throw new WireFormatException($"a length of {length} runs past the end of the frame");
        return length;
    }

    private ReadOnlyMemory<byte> Take(int length)
    {
        if (length > frame.Length - _offset) throw new WireFormatException("the frame ends early");
        var slice = frame.Slice(_offset, length);
        _offset += length;
        return slice;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}

/// <summary>A frame whose bytes break the protocol.</summary>
internal sealed class WireFormatException(string message) : Exception(message);
