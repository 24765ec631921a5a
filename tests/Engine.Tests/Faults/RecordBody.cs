using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Engine.Tests.Faults;

/// <summary>
/// A record body that vouches for itself: which batch it belongs to, its place and the batch's
/// size, the topic it was written to, padding, and a CRC of all that. A body changed by a single
/// bit, moved to another topic, or left without the rest of its batch is caught by reading it.
/// </summary>
internal readonly record struct RecordBody(int Batch, int Index, int Count, string Topic)
{
    public static byte[] Make(int batch, int index, int count, string topic, int size, Random random)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{batch}|{index}|{count}|{topic}|");
        var padding = new string((char)('a' + random.Next(26)), Math.Max(0, size - head.Length - 9));
        var text = head + padding;
        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(text));
        return Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{text}|{crc:x8}"));
    }

    /// <summary>The body's fields, or null when its bytes are not what was written.</summary>
    public static RecordBody? Parse(ReadOnlySpan<byte> body)
    {
        var text = Encoding.ASCII.GetString(body);
        var bar = text.LastIndexOf('|');
        if (bar < 0 || !uint.TryParse(text.AsSpan(bar + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var crc)) return null;
        if (Crc32.HashToUInt32(Encoding.ASCII.GetBytes(text[..bar])) != crc) return null;
        var fields = text[..bar].Split('|');
        return fields.Length < 5 ? null : new RecordBody(
            int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]);
    }
}
