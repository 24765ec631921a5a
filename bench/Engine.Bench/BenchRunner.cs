using System.Diagnostics;
using Engine.Bench.Reporting;
using Engine.Bench.Workloads;

namespace Engine.Bench;

/// <summary>
/// Runs the chosen workloads one after another and turns each into an outcome: passed, skipped
/// (feature not in this build), pending (types not written yet) or failed. One workload failing
/// does not stop the others; the exit code says whether any did.
/// </summary>
internal static class BenchRunner
{
    public static async Task<IReadOnlyList<WorkloadOutcome>> RunAsync(BenchContext context, IReadOnlyList<Workload> workloads)
    {
        var outcomes = new List<WorkloadOutcome>();
        foreach (var workload in workloads)
        {
            context.Progress.WriteLine($"{workload.Name}: {workload.Title}{(context.Quick ? " (quick: 1/100 size)" : "")}");
            var outcome = await RunOneAsync(context, workload);
            context.Progress.WriteLine($"{workload.Name}: {outcome.Status.ToString().ToLowerInvariant()}{(outcome.Reason is null ? "" : $": {outcome.Reason}")}");
            outcomes.Add(outcome);
        }
        return outcomes;
    }

    private static async Task<WorkloadOutcome> RunOneAsync(BenchContext context, Workload workload)
    {
        var report = new WorkloadReport(workload.Name);
        if (workload.PendingReason is { } pending) return Outcome(OutcomeStatus.Pending, pending, TimeSpan.Zero);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await workload.RunAsync(context, report);
            return Outcome(OutcomeStatus.Passed, null, Stopwatch.GetElapsedTime(started));
        }
        catch (FeatureUnavailableException e)
        {
            return Outcome(OutcomeStatus.Skipped, e.Message, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            // The whole exception goes to stderr for whoever debugs it; the table keeps one line.
            await Console.Error.WriteLineAsync($"{workload.Name} failed: {e}");
            return Outcome(OutcomeStatus.Failed, $"{e.GetType().Name}: {e.Message}", Stopwatch.GetElapsedTime(started));
        }

        WorkloadOutcome Outcome(OutcomeStatus status, string? reason, TimeSpan elapsed) =>
            new(workload.Name, workload.Title, status, reason, elapsed, report.Measurements, report.Notes);
    }
}
