namespace Engine.Bench;

/// <summary>The record body: printable, not all one byte, the same in every run and every baseline.</summary>
internal static class RecordBody
{
    public static byte[] Create(int size)
    {
        var body = new byte[size];
        for (var i = 0; i < size; i++) body[i] = (byte)('a' + (i % 26));
        return body;
    }

    /// <summary>A buffer of <paramref name="length"/> bytes made of the body repeated: "the same bytes" for the file and memory baselines.</summary>
    public static byte[] Repeated(ReadOnlySpan<byte> body, long length)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(checked((int)length));
        for (var offset = 0; offset < buffer.Length; offset += body.Length)
            body[..Math.Min(body.Length, buffer.Length - offset)].CopyTo(buffer.AsSpan(offset));
        return buffer;
    }
}
