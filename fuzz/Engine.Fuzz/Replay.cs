using Engine.Fuzz.Targets;

namespace Engine.Fuzz;

/// <summary>
/// Runs a target over saved inputs (files, or every file under directories) without a fuzzer:
/// how a crash found by afl-fuzz or libFuzzer is reproduced and, once fixed, kept fixed. Use an
/// uninstrumented build: instrumented code expects the fuzzer's shared memory.
/// </summary>
internal static class Replay
{
    /// <summary>Returns the number of inputs that made the target throw.</summary>
    public static int Run(string targetName, FuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        var inputs = 0;
        var failures = 0;
        foreach (var file in paths.SelectMany(Expand))
        {
            inputs++;
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                // Every exception is reported, whatever its type: that is the contract of a target.
                failures++;
                output.WriteLine($"FAIL {file}: {e}");
            }
        }
        output.WriteLine($"{targetName}: {inputs} inputs, {failures} failed");
        return failures;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];
}
