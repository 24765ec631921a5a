using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// One workload of issue 6: measures Engine and its same-run baselines, adds rows to the report,
/// and checks record counts with <see cref="Expect"/> (never speeds), so <c>--quick</c> in CI
/// catches a harness or engine that silently does less work.
/// </summary>
internal abstract class Workload
{
    /// <summary>The short name used on the command line and in the table ("W1").</summary>
    public abstract string Name { get; }

    /// <summary>What it does, in one line, at full size.</summary>
    public abstract string Title { get; }

    /// <summary>
    /// Set when the workload needs types that do not exist yet; the runner then reports it as
    /// pending without calling <see cref="RunAsync"/>.
    /// </summary>
    public virtual string? PendingReason => null;

    /// <summary>
    /// True for a workload too big for the default run (W10: 20 million records, gigabytes of
    /// disk). At full size it runs only when named; under <c>--quick</c> it runs with the others,
    /// at 1/100 like them, so CI keeps it working.
    /// </summary>
    public virtual bool FullSizeOnlyWhenNamed => false;

    /// <summary>
    /// Runs the workload. Throws <see cref="FeatureUnavailableException"/> when the engine feature
    /// it measures is not in this build, <see cref="BenchCheckException"/> on a wrong count.
    /// </summary>
    public abstract Task RunAsync(BenchContext context, WorkloadReport report);
}
