using System.Diagnostics;
using System.Globalization;

namespace Engine.Tests.Support;

/// <summary>
/// Bytes a directory's files occupy on disk, counted in allocated blocks: the engine's files are
/// sparse (reserved as they fill), so their apparent lengths say little about disk use.
/// </summary>
public static class DiskUsage
{
    public static long Of(string directory)
    {
        var info = new ProcessStartInfo("du", ["-s", "--block-size=1", directory]) { RedirectStandardOutput = true };
        using var du = Process.Start(info)!;
        var output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(output.Split('\t')[0], CultureInfo.InvariantCulture);
    }
}
