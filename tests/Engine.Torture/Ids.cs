using System.Globalization;

namespace Engine.Torture;

/// <summary>Reads the engine's ids ("ts-seq") and ranges ("first..last", one id, or "").</summary>
public static class Ids
{
    public static long Seq(string id) =>
        long.Parse(id.AsSpan(id.IndexOf('-', StringComparison.Ordinal) + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The seq of a range's last record, or -1 for the empty range.</summary>
    public static long LastSeq(string range)
    {
        if (range.Length == 0) return -1;
        var dots = range.IndexOf("..", StringComparison.Ordinal);
        return Seq(dots < 0 ? range : range[(dots + 2)..]);
    }
}
