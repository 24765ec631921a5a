using System.Diagnostics;
using System.Globalization;

namespace Engine.Bench.Measuring;

/// <summary>
/// The process's memory at one moment: its working set (RSS) and the peak since start or since
/// <see cref="TryResetPeak"/>, the bytes the .NET heap holds, and on Linux how much of the RSS is private memory
/// (anonymous) and how much is file pages mapped in. Engine reads and writes its segments through
/// mappings, so the file part grows with what was touched and the kernel can drop it at will;
/// the anonymous part is what the engine itself holds.
/// </summary>
internal readonly record struct MemoryUse(long WorkingSet, long PeakWorkingSet, long GcHeap, long? Anonymous, long? FileMapped)
{
    private const string StatusFile = "/proc/self/status";

    public static MemoryUse Now()
    {
        using var process = Process.GetCurrentProcess();
        var status = ReadStatus();
        return new MemoryUse(
            Environment.WorkingSet,
            process.PeakWorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            status.GetValueOrDefault("RssAnon"),
            status.GetValueOrDefault("RssFile"));
    }

    /// <summary>
    /// Resets the kernel's peak RSS (Linux: "5" to /proc/self/clear_refs), so the peak a workload
    /// reports is its own and not an earlier workload's of the same run. False where that is not possible.
    /// </summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    public string Describe() =>
        $"RSS {Mb(WorkingSet)} (peak {Mb(PeakWorkingSet)}), .NET heap {Mb(GcHeap)}" +
        (Anonymous is { } anonymous && FileMapped is { } file ? $", anonymous {Mb(anonymous)}, file pages {Mb(file)}" : "");

    public static double Megabytes(long bytes) => bytes / 1e6;

    private static string Mb(long bytes) => $"{Megabytes(bytes):N0} MB";

    /// <summary>The "Name: N kB" lines of /proc/self/status, in bytes; empty where there is no such file.</summary>
    private static Dictionary<string, long?> ReadStatus()
    {
        var values = new Dictionary<string, long?>();
        if (!File.Exists(StatusFile)) return values;
        foreach (var line in File.ReadLines(StatusFile))
        {
            var parts = line.Split(':', 2);
            if (parts.Length != 2 || !parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal)) continue;
            var number = parts[1].Trim()[..^3].Trim();
            if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                values[parts[0]] = kilobytes * 1024;
        }
        return values;
    }
}
