using System.Globalization;

namespace Engine.Bench.Reporting;

/// <summary>Numbers as the table prints them: thousands separated, a few significant digits.</summary>
internal static class Figures
{
    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("N1", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("N2", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    /// <summary>A record count in a metric's name, short: "20M", "5.1M", "200k", "950".</summary>
    public static string Count(long count) => count switch
    {
        >= 1_000_000 => (count / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Two decimals, more for small ratios so that a real 0.003× does not print as 0.00×.</summary>
    public static string Ratio(double? ratio) => ratio is { } r
        ? r.ToString(r < 0.1 ? "0.0##" : "0.00", CultureInfo.InvariantCulture) + "×"
        : "—";
}
