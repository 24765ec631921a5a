using Xunit.Abstractions;

namespace Engine.Tests.Faults;

/// <summary>
/// The fault loops: for each kind of storage operation and each errno, the Nth operation fails
/// (N over a fixed spread in CI; every N with ENGINE_FAULTS_FULL=1), and for each crash mode the
/// machine crashes before the Nth operation; each run is reopened and held to its ledger.
/// </summary>
public sealed class FaultLoopTests(ITestOutputHelper output)
{
    private const int Seed = 7;

    public static TheoryData<StorageOp, int> Faults()
    {
        var data = new TheoryData<StorageOp, int>();
        foreach (var op in Enum.GetValues<StorageOp>())
            foreach (var errno in new[] { FaultPlan.Eio, FaultPlan.Enospc })
                data.Add(op, errno);
        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task The_nth_operation_failing_loses_nothing_acknowledged_and_gives_the_right_code(StorageOp op, int errno)
    {
        using var prepared = await FaultRun.PrepareAsync(Durability.Always);
        var total = (await FaultRun.CountAsync(prepared, Durability.Always, Seed)).Count(op);
        Assert.True(total > 0, $"the workload never does a {op}: the loop would test nothing");
        var problems = new List<string>();
        var runs = 0;
        foreach (var n in FaultRun.Sample(total, Seed + (int)op))
        {
            problems.AddRange(await FaultRun.RunAsync(prepared, FaultPlan.Fail(op, n, errno), Durability.Always, Seed));
            runs++;
        }
        Report(problems, $"{runs} runs of {total} {op} operations");
    }

    public static TheoryData<CrashMode, Durability> Crashes() => new()
    {
        { CrashMode.DropUnsynced, Durability.Always },
        { CrashMode.RandomPages, Durability.Always },
        { CrashMode.TornLastPage, Durability.Always },
        { CrashMode.KeepAll, Durability.Always },
        { CrashMode.KeepAll, Durability.Batched },
    };

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_crash_before_any_operation_loses_nothing_acknowledged(CrashMode mode, Durability durability)
    {
        using var prepared = await FaultRun.PrepareAsync(durability);
        var total = (await FaultRun.CountAsync(prepared, durability, Seed)).CountAll;
        var problems = new List<string>();
        var runs = 0;
        foreach (var n in FaultRun.Sample(total, Seed + (int)mode))
        {
            problems.AddRange(await FaultRun.RunAsync(prepared, FaultPlan.CrashBefore(n, mode), durability, Seed));
            runs++;
        }
        Report(problems, $"{runs} crashes among {total} operations");
    }

    [Fact]
    public async Task The_checks_catch_a_disk_whose_fsyncs_lie()
    {
        using var prepared = await FaultRun.PrepareAsync(Durability.Always);
        var total = (await FaultRun.CountAsync(prepared, Durability.Always, Seed)).CountAll;
        var problems = await FaultRun.RunAsync(prepared, FaultPlan.CrashBefore(total / 2, CrashMode.DropUnsynced), Durability.Always, Seed, fsyncsLie: true);
        Assert.Contains(problems, p => p.Contains("is gone", StringComparison.Ordinal) || p.Contains("does not open", StringComparison.Ordinal));
    }

    private void Report(List<string> problems, string what)
    {
        output.WriteLine(what);
        foreach (var problem in problems.Take(50)) output.WriteLine(problem);
        if (Environment.GetEnvironmentVariable("ENGINE_FAULTS_REPORT") is { Length: > 0 } file)
            File.AppendAllLines(file, problems);
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {what}; the first: {string.Join(Environment.NewLine, problems.Take(10))}");
    }
}
