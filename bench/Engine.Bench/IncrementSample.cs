namespace Engine.Bench;

/// <summary>
/// The "+1" processor DLL (workers/Samples/Increment): each body is a decimal number, spaces
/// around it allowed; each output is that number plus one. The build copies it (with SampleMath.dll,
/// its dependency, and its deps.json) to <c>samples/Increment</c> beside the bench; W5 copies it
/// from there into a processors folder of its own, as a user would drop it in.
/// </summary>
internal static class IncrementSample
{
    private const string MainFile = "Increment.dll";

    /// <summary>Copies the sample into <paramref name="directory"/>; returns the full path of its processor DLL.</summary>
    public static string CopyTo(string directory)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "Increment");
        if (!File.Exists(Path.Combine(sample, MainFile)))
            throw new FileNotFoundException($"the Increment sample is not beside the bench ({sample}); build bench/Engine.Bench");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(sample))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        return Path.Combine(directory, MainFile);
    }
}
