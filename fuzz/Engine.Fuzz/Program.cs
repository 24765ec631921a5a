using Engine.Fuzz;
using Engine.Fuzz.Targets;
using SharpFuzz;

// Usage:
//   Engine.Fuzz <target>                fuzz: under libFuzzer (libfuzzer-dotnet) or afl-fuzz; with
//                                       neither, runs the target once over standard input
//   Engine.Fuzz <target> <path>...      replay saved inputs (files or directories), no fuzzer needed
//   Engine.Fuzz seeds <directory>       write the seed corpus, one folder per target
//   Engine.Fuzz list                    print the target names
// Nothing from Engine.dll may run before the fuzzer's runner starts: once instrumented, its code
// writes coverage to shared memory that only exists from then on.

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Engine.Fuzz <target> [input path...] | seeds <directory> | list");
    Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "list")
{
    foreach (var name in FuzzTargets.All.Keys) Console.WriteLine(name);
    return 0;
}
if (args[0] == "seeds")
{
    if (args.Length != 2) { Console.Error.WriteLine("usage: Engine.Fuzz seeds <directory>"); return 2; }
    Console.WriteLine($"wrote {SeedCorpus.Write(args[1])} seed inputs under {args[1]}");
    return 0;
}
if (!FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
if (args.Length > 1) return Replay.Run(args[0], target, args[1..], Console.Out) == 0 ? 0 : 1;

// libfuzzer-dotnet announces itself with this variable; otherwise the AFL fork server, which
// without afl-fuzz runs the target once over standard input.
if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is not null)
{
    Fuzzer.LibFuzzer.Run(span => target(span));
}
else
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
}
return 0;
