using System.Globalization;
using Engine.Bench;
using Engine.Bench.Reporting;
using Engine.Bench.Workloads;

// The macro benchmark harness of issue 6. See BenchArguments.Usage, and bench/RESULTS.md for the latest run.

if (args is [FillAndHang.Command, var directory, var count, .. var rest])
{
    long? segmentSize = rest is [var size] ? long.Parse(size, CultureInfo.InvariantCulture) : null;
    return await FillAndHang.RunAsync(directory, int.Parse(count, CultureInfo.InvariantCulture), segmentSize);
}

BenchArguments arguments;
IReadOnlyList<Workload> workloads;
try
{
    arguments = BenchArguments.Parse(args);
    workloads = WorkloadRegistry.Select(arguments.Workloads, arguments.Quick);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{BenchArguments.Usage}");
    return 2;
}
if (arguments.Help)
{
    Console.WriteLine(BenchArguments.Usage);
    return 0;
}

var startedAt = DateTimeOffset.UtcNow;
IReadOnlyList<WorkloadOutcome> outcomes;
using (var context = new BenchContext(arguments.Quick, arguments.ScratchParent, arguments.SegmentSize, Console.Out))
    outcomes = await BenchRunner.RunAsync(context, workloads);

Console.WriteLine();
ResultsTable.Write(Console.Out, outcomes);
var path = ResultsJson.Write(arguments.ResolveResultsDirectory(), startedAt, arguments.Quick, args, outcomes);
Console.WriteLine($"results written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");

int Count(OutcomeStatus status) => outcomes.Count(o => o.Status == status);
// The closing line CI reads: "N passed, N failed" (then skipped and pending, which do not fail).
Console.WriteLine($"bench: {Count(OutcomeStatus.Passed)} passed, {Count(OutcomeStatus.Failed)} failed, " +
    $"{Count(OutcomeStatus.Skipped) + Count(OutcomeStatus.Pending)} skipped");
return Count(OutcomeStatus.Failed) > 0 ? 1 : 0;
