using System.Globalization;

namespace Engine.Bench;

/// <summary>The command line: <c>[--quick] [--dir PATH] [--results PATH] [W1 W3 ...]</c>.</summary>
internal sealed record BenchArguments(
    bool Quick, string? ScratchParent, string? ResultsDirectory, long? SegmentSize, IReadOnlyList<string> Workloads, bool Help)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Engine.Bench -- [options] [W1 W1b W2 W3 W4 W4L W5 W6 W7 W8 W9 W10]
          --quick          every workload at 1/100 size; checks record counts (CI runs this)
          --dir PATH       make the stores under PATH instead of the system temp folder
          --results PATH   write the JSON results here instead of bench/results/
          --segment-size S open Engine stores with this SegmentSize (bytes, or with KiB/MiB/GiB)
                           instead of the engine's default
          -h, --help       this text
        With no workload named, all run, but W10 (20 million records, 3+ GB of disk, a minute or
        more) runs at full size only when named; under --quick it runs with the others. Exit code:
        0 when every workload that ran passed its checks (skipped and pending ones do not fail),
        1 when one failed, 2 on bad arguments.
        """;

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        var help = false;
        string? scratch = null, results = null;
        long? segmentSize = null;
        var workloads = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "-h" or "--help": help = true; break;
                case "--dir": scratch = Value(args, ref i); break;
                case "--results": results = Value(args, ref i); break;
                case "--segment-size": segmentSize = ParseSize(Value(args, ref i)); break;
                case var option when option.StartsWith('-'): throw new ArgumentException($"unknown option '{option}'");
                default: workloads.Add(args[i]); break;
            }
        }
        return new BenchArguments(quick, scratch, results, segmentSize, workloads, help);
    }

    /// <summary>Bytes, optionally with a binary suffix: "1048576", "64MiB", "1GiB".</summary>
    private static long ParseSize(string text)
    {
        (string Suffix, long Factor)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("", 1)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                return checked(value * factor);
        }
        throw new ArgumentException($"'{text}' is not a size (bytes, or a number with KiB, MiB or GiB)");
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");

    /// <summary>
    /// Where results go by default: <c>bench/results/</c> of the repository the run starts in
    /// (found by walking up to <c>Engine.sln</c>, from the current folder, then from the program's).
    /// </summary>
    public string ResolveResultsDirectory()
    {
        if (ResultsDirectory is not null) return Path.GetFullPath(ResultsDirectory);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return Path.Combine(dir.FullName, "bench", "results");
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
    }
}
