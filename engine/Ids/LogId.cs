using System.Globalization;

namespace Engine.Ids;

/// <summary>Record ids <c>"&lt;ts&gt;-&lt;seq&gt;"</c> and range strings <c>"first..last"</c>.</summary>
internal static class LogId
{
    /// <summary>
    /// Formats an id, sized exactly up front: every record read and every commit's id goes
    /// through here, and an interpolated string cost twice as much.
    /// </summary>
    public static string Format(long timestamp, long seq)
    {
        var timestampDigits = DigitCount(timestamp);
        return string.Create(timestampDigits + 1 + DigitCount(seq), (timestamp, seq, timestampDigits), static (id, parts) =>
        {
            parts.timestamp.TryFormat(id, out _, default, CultureInfo.InvariantCulture);
            id[parts.timestampDigits] = '-';
            parts.seq.TryFormat(id[(parts.timestampDigits + 1)..], out _, default, CultureInfo.InvariantCulture);
        });
    }

    private static readonly long[] PowersOf10 =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    ];

    /// <summary>Decimal digits of a non-negative number: log10 estimated from log2, then corrected by one comparison.</summary>
    private static int DigitCount(long value)
    {
        if (value < 10) return 1;
        var estimate = ((System.Numerics.BitOperations.Log2((ulong)value) + 1) * 1233) >> 12; // 1233/4096 ≈ log10(2)
        return estimate + (estimate < PowersOf10.Length && value >= PowersOf10[estimate] ? 1 : 0);
    }

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
