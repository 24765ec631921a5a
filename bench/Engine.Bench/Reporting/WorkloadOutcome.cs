namespace Engine.Bench.Reporting;

/// <summary>How a workload's run ended.</summary>
internal enum OutcomeStatus
{
    /// <summary>Ran, and every record count it checked was right.</summary>
    Passed,
    /// <summary>The engine feature it measures is not available in this build; not a failure.</summary>
    Skipped,
    /// <summary>Needs types that do not exist yet (workers, IPC); not a failure.</summary>
    Pending,
    /// <summary>Threw, or a record count was wrong.</summary>
    Failed,
}

/// <summary>A workload's status, the reason when it did not pass, and what it measured.</summary>
internal sealed record WorkloadOutcome(
    string Workload,
    string Title,
    OutcomeStatus Status,
    string? Reason,
    TimeSpan Elapsed,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<string> Notes);
