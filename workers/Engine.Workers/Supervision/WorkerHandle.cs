namespace Engine.Workers.Supervision;

/// <summary>
/// One worker slot, stable across restarts (its number, the id the figures report), and the
/// process serving it now: one it started, or a spare promoted into it. Figures accumulate over
/// all its processes.
/// </summary>
internal sealed class WorkerHandle(int id)
{
    private long _executions;
    private long _errors;
    private long _latencyTicks;

    public int Id { get; } = id;

    public Incarnation? Current { get; set; }

    public int Restarts { get; set; }

    /// <summary>Replacements since its process was last ready, for the restart back-off.</summary>
    public int ConsecutiveFailures { get; set; }

    public void Executed(TimeSpan latency, bool ok)
    {
        Interlocked.Increment(ref _executions);
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
        if (!ok) Interlocked.Increment(ref _errors);
    }

    public void Failed() => Interlocked.Increment(ref _errors);

    public WorkerStats Stats()
    {
        var current = Current;
        var executions = Interlocked.Read(ref _executions);
        return new WorkerStats(Id, current?.ProcessId ?? 0, executions, Interlocked.Read(ref _errors), Restarts,
            executions == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / executions),
            current?.State.ToString() ?? "Stopped");
    }
}

/// <summary>Where a worker process is in its life.</summary>
internal enum WorkerState
{
    Starting,
    Ready,
    Stopping,
    Stopped,
}
