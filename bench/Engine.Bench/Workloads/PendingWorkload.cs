using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// A workload of issue 6 whose engine types do not exist yet. It keeps its place in the list
/// and in the table, reported as pending, so nobody mistakes its absence for a pass; replace it
/// with a real class (one file, like <see cref="W4Procs"/>) once the types land.
/// </summary>
internal sealed class PendingWorkload(string name, string title, string reason) : Workload
{
    public override string Name => name;

    public override string Title => title;

    public override string? PendingReason => reason;

    public override Task RunAsync(BenchContext context, WorkloadReport report) =>
        throw new InvalidOperationException($"{name} is pending: {reason}");
}
