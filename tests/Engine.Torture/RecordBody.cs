using System.Buffers.Binary;
using System.IO.Hashing;

namespace Engine.Torture;

/// <summary>
/// The body of every torture record, self-describing so that a record read back can be checked on
/// its own (a wrong byte fails the CRC) and placed in its batch (a missing member is visible), and
/// deterministic so that the parent rebuilds the exact bytes of an acknowledged record from the
/// child's report alone.
/// <code>
///  0  u32  magic "TORT"
///  4  u8   topic number (TortureTopics)
///  5  u8   1 when every record of the batch is in this topic (the layout is then one byte)
///  6  u16  index of the record in its batch
///  8  i64  batch number (unique per store, increasing in commit order)
/// 16  i64  tag: for a Done record the last Work seq its ack-commit acked, else -1
/// 24  u16  records in the batch
/// 26  u8[] the topic of each record of the batch, in index order (one byte when uniform)
///  .. filler: a length and bytes drawn from (batch, index)
/// -4  u32  CRC-32 (IEEE) of everything before
/// </code>
/// </summary>
public static class RecordBody
{
    public const int MaxBatch = 4096;
    private const uint Magic = 0x54524F54; // "TORT"
    private const int HeaderLength = 26;

    public static byte[] Build(byte topic, long batch, int index, ReadOnlySpan<byte> layout, long tag = -1)
    {
        if (layout.Length is 0 or > MaxBatch || index >= layout.Length || layout[index] != topic)
            throw new ArgumentException("the layout must hold the record's topic at its index", nameof(layout));
        var uniform = layout.Length > 1 && !layout.ContainsAnyExcept(topic);
        var stored = uniform ? layout[..1] : layout;
        var filler = new Filler(batch, index);
        var fillerLength = filler.Length(topic);
        var body = new byte[HeaderLength + stored.Length + fillerLength + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(body, Magic);
        body[4] = topic;
        body[5] = uniform ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), (ushort)index);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), batch);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(16), tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), (ushort)layout.Length);
        stored.CopyTo(body.AsSpan(HeaderLength));
        filler.Fill(body.AsSpan(HeaderLength + stored.Length, fillerLength));
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(body.Length - 4), Crc32.HashToUInt32(body.AsSpan(0, body.Length - 4)));
        return body;
    }

    /// <summary>Decodes a body read back; null with a reason when it is not one <see cref="Build"/> made.</summary>
    public static Decoded? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        if (body.Length < HeaderLength + 1 + 4) error = $"too short ({body.Length} bytes)";
        else if (BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic) error = "bad magic";
        else if (Crc32.HashToUInt32(body[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(body[^4..])) error = "CRC mismatch";
        if (error is not null) return null;
        var uniform = body[5] == 1;
        var index = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
        if (body[5] > 1 || count is 0 or > MaxBatch || index >= count || body.Length < HeaderLength + (uniform ? 1 : count) + 4)
        {
            error = "bad index, count or layout";
            return null;
        }
        var layout = uniform ? Enumerable.Repeat(body[HeaderLength], count).ToArray() : body.Slice(HeaderLength, count).ToArray();
        var decoded = new Decoded(body[4], BinaryPrimitives.ReadInt64LittleEndian(body[8..]), index, layout, BinaryPrimitives.ReadInt64LittleEndian(body[16..]));
        // The CRC could be right over bytes this class did not write: rebuilding must give them back.
        if (!body.SequenceEqual(Build(decoded.Topic, decoded.Batch, decoded.Index, decoded.Layout, decoded.Tag)))
        {
            error = "bytes differ from the record its header describes";
            return null;
        }
        return decoded;
    }

    public sealed record Decoded(byte Topic, long Batch, int Index, byte[] Layout, long Tag);

    /// <summary>Filler bytes from a xorshift seeded by (batch, index): different in every record.</summary>
    private struct Filler(long batch, int index)
    {
        private ulong _state = (ulong)batch * 0x9E3779B97F4A7C15UL ^ (ulong)(index + 1) * 0xBF58476D1CE4E5B9UL | 1;

        public int Length(byte topic)
        {
            var r = (int)(Next() % 8192);
            return topic switch
            {
                TortureTopics.Work => 1024 + r,      // large: segments fill with records GC frees
                TortureTopics.Ticks => r % 16,       // tiny and many: index chunks fill up
                _ => r % 200,
            };
        }

        public void Fill(Span<byte> span)
        {
            for (var i = 0; i < span.Length; i++) span[i] = (byte)Next();
        }

        private ulong Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            return _state;
        }
    }
}
