using System.Globalization;
using System.CommandLine.Parsing;

namespace Engine.Host.Cli;

/// <summary>Sizes and durations with units, as every option takes them: <c>64MiB</c>, <c>4096</c>, <c>10ms</c>, <c>30s</c>, <c>5m</c>.</summary>
internal static class Units
{
    private static readonly (string Suffix, long Factor)[] SizeUnits =
        [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1), ("", 1)];

    private static readonly (string Suffix, double Ms)[] TimeUnits =
        [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("", 1)];

    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        foreach (var (suffix, factor) in SizeUnits)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            if (!long.TryParse(text.AsSpan(0, text.Length - suffix.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
            try
            {
                bytes = checked(number * factor);
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>A duration; a bare number is milliseconds (what the <c>-ms</c> options always took).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        foreach (var (suffix, ms) in TimeUnits)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            if (!double.TryParse(text.AsSpan(0, text.Length - suffix.Length).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            duration = TimeSpan.FromMilliseconds(number * ms);
            return true;
        }
        return false;
    }

    public static long Size(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParseSize(text, out var bytes)) return bytes;
        result.AddError($"'{text}' is not a size: give bytes, or a number with KiB, MiB or GiB (e.g. 64MiB)");
        return 0;
    }

    public static TimeSpan Duration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var duration)) return duration;
        result.AddError($"'{text}' is not a duration: give milliseconds, or a number with ms, s, m or h (e.g. 10ms, 30s)");
        return default;
    }

    public static string Format(TimeSpan? age) => age switch
    {
        null => "-",
        { TotalSeconds: < 1 } a => $"{a.TotalMilliseconds:0}ms",
        { TotalMinutes: < 1 } a => $"{a.TotalSeconds:0.0}s",
        { TotalHours: < 1 } a => $"{a.TotalMinutes:0.0}m",
        var a => $"{a.Value.TotalHours:0.0}h",
    };
}
