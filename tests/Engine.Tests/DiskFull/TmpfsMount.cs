using System.Diagnostics;

namespace Engine.Tests.DiskFull;

/// <summary>
/// A small tmpfs mounted for one test: a real file system that really runs out of space. Needs
/// Linux and root (CI runs as root); where mounting is refused, <see cref="TryMount"/> says why.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount? TryMount(int megabytes, out string whyNot)
    {
        whyNot = "";
        if (!OperatingSystem.IsLinux())
        {
            whyNot = "tmpfs needs Linux";
            return null;
        }
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "engine-tmpfs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code == 0) return new TmpfsMount(path);
        Directory.Delete(path);
        whyNot = $"mounting a {megabytes} MiB tmpfs was refused (exit {code}: {output.Trim()}); run the tests as root to cover a real full disk";
        return null;
    }

    /// <summary>Makes the file system read-only (what it holds stays); false, with why, where that is refused.</summary>
    public bool RemountReadOnly(out string whyNot)
    {
        var (code, output) = Run("mount", "-o", "remount,ro", Path);
        whyNot = code == 0 ? "" : $"remounting read-only was refused (exit {code}: {output.Trim()})";
        return code == 0;
    }

    /// <summary>Fills what space is left with a file (the disk is then full for everyone).</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // full
        }
        try
        {
            stream.Flush();
        }
        catch (IOException)
        {
        }
        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
