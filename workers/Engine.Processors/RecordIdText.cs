using System.Globalization;

namespace Engine;

/// <summary>
/// A record id as text, <c>"&lt;ts&gt;-&lt;seq&gt;"</c>. Here, beside <see cref="LogEntry"/>, which
/// formats its id only when asked; the engine's id code uses the same function.
/// </summary>
internal static class RecordIdText
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

    /// <summary>Writes an id into <paramref name="destination"/>; false (nothing written) when it does not fit.</summary>
    public static bool TryFormat(long timestamp, long seq, Span<char> destination, out int charsWritten)
    {
        var timestampDigits = DigitCount(timestamp);
        var length = timestampDigits + 1 + DigitCount(seq);
        charsWritten = 0;
        if (destination.Length < length) return false;
        timestamp.TryFormat(destination, out _, default, CultureInfo.InvariantCulture);
        destination[timestampDigits] = '-';
        seq.TryFormat(destination[(timestampDigits + 1)..], out _, default, CultureInfo.InvariantCulture);
        charsWritten = length;
        return true;
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
}
