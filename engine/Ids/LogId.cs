using System.Globalization;

namespace Engine.Ids;

/// <summary>Record ids <c>"&lt;ts&gt;-&lt;seq&gt;"</c> and range strings <c>"first..last"</c>.</summary>
internal static class LogId
{
    /// <summary>Formats an id (with <see cref="LogEntry"/>, in the contract assembly).</summary>
    public static string Format(long timestamp, long seq) => RecordIdText.Format(timestamp, seq);

    /// <summary>One record: its id; several: <c>"first..last"</c>; none: <c>""</c>.</summary>
    public static string FormatRange(long firstTimestamp, long firstSeq, long lastTimestamp, long lastSeq) =>
        firstSeq == lastSeq
            ? Format(firstTimestamp, firstSeq)
            : string.Create(CultureInfo.InvariantCulture, $"{firstTimestamp}-{firstSeq}..{lastTimestamp}-{lastSeq}");

    /// <summary>Parses a whole id; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long timestamp, out long seq)
    {
        timestamp = seq = 0;
        var dash = text.IndexOf('-');
        return dash > 0
            && TryParseNumber(text[..dash], out timestamp)
            && TryParseNumber(text[(dash + 1)..], out seq);
    }

    /// <summary>A non-negative decimal of ASCII digits only: no sign, space or separators.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 19) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
