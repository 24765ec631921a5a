using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Micro-benches of issue 6 (BenchmarkDotNet, [MemoryDiagnoser] on every class).
//   dotnet run -c Release --project bench/Engine.Micro -- --filter '*'              (all, default job)
//   dotnet run -c Release --project bench/Engine.Micro -- --filter '*Frame*' --job short
//
// Every job runs in-process. BenchmarkDotNet's usual out-of-process run generates a project that
// references the benchmarks' project found by assembly name, and this assembly has to be named
// Engine.Bench (the name the engine's InternalsVisibleTo grants), so it would find the macro
// harness instead. The mutator below applies the in-process toolchain to whatever job is chosen.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
BenchmarkSwitcher.FromAssembly(typeof(Engine.Micro.FrameBenchmarks).Assembly).Run(args, config);
