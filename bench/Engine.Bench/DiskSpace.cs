namespace Engine.Bench;

/// <summary>What a workload that writes gigabytes checks first, so it fails at once and says why, not half-way with a full disk.</summary>
internal static class DiskSpace
{
    public static void Require(string directory, long bytes, string workload)
    {
        var free = new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        if (free < bytes)
            throw new IOException($"{workload} needs about {bytes / 1e9:N1} GB free under {directory}, and only {free / 1e9:N1} GB are; " +
                "free some, or make the stores elsewhere with --dir");
    }

    /// <summary>The bytes of every file under <paramref name="directory"/>.</summary>
    public static long Used(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
