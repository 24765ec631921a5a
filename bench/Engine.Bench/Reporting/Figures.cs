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

    /// <summary>Two decimals, more for small ratios so that a real 0.003× does not print as 0.00×.</summary>
    public static string Ratio(double? ratio) => ratio is { } r
        ? r.ToString(r < 0.1 ? "0.0##" : "0.00", CultureInfo.InvariantCulture) + "×"
        : "—";
}
