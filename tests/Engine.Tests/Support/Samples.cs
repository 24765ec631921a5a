namespace Engine.Tests.Support;

/// <summary>
/// The sample processor DLLs (workers/Samples/*), built with the tests. Tests copy them into a
/// processors directory of their own, as a user would drop them in.
/// </summary>
public static class Samples
{
    /// <summary>The build output folder of a sample project, in the tests' configuration.</summary>
    public static string OutputOf(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0
        var folder = Path.Combine(RepositoryRoot(), "workers", "Samples", project, "bin", configuration, "net10.0");
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"sample {project} is not built: {folder}");
    }

    /// <summary>Copies a sample's DLLs (with their dependencies and deps.json) into <paramref name="directory"/>; returns the main DLL's path.</summary>
    public static string CopyTo(string project, string directory, string? assemblyName = null)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(OutputOf(project)).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".deps.json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        return Path.Combine(directory, (assemblyName ?? project) + ".dll");
    }

    /// <summary>The build output folder of a project under the repository (such as <c>ipc/Samples/Taste</c>), in the tests' configuration.</summary>
    public static string OutputOfProject(string relativeFolder)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var folder = Path.Combine(RepositoryRoot(), relativeFolder, "bin", configuration, "net10.0");
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{relativeFolder} is not built: {folder}");
    }

    /// <summary>The folder that holds Engine.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (Engine.sln) is not above the test binaries");
    }
}
