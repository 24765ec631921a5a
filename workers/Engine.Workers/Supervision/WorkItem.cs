namespace Engine.Workers.Supervision;

/// <summary>
/// A claimed batch on its way through a worker, and how it ended. Its completion runs the runner's
/// continuation inline (no thread hop): the worker's report of one batch and its request for the
/// next arrive in one read, and the runner acks, claims and hands out the next batch right there.
/// Only engine code continues on it, never a user's.
/// </summary>
internal sealed class WorkItem(long batchId, SystemProcRunner runner, IReadOnlyList<LogEntry> entries, string processor, long stamp,
    System.Diagnostics.Activity? span = null)
{
    /// <summary>The W3C trace context of the batch's span on the engine side (null when nobody listens), for the worker's span.</summary>
    public string? TraceParent { get; } = span?.IdFormat == System.Diagnostics.ActivityIdFormat.W3C ? span.Id : null;

    public string? TraceState { get; } = span?.TraceStateString;

    private readonly TaskCompletionSource<WorkResult> _done = new();

    public long BatchId { get; } = batchId;

    public SystemProcRunner Runner { get; } = runner;

    public IReadOnlyList<LogEntry> Entries { get; } = entries;

    public string Processor { get; } = processor;

    public long Stamp { get; } = stamp;

    public long AssignedAt { get; set; }

    public Task<WorkResult> Done => _done.Task;

    public bool IsDone => _done.Task.IsCompleted;

    public bool Complete(WorkResult result) => _done.TrySetResult(result);
}

/// <summary>The processor's outputs, or why there are none.</summary>
internal sealed record WorkResult(bool Ok, IReadOnlyList<ReadOnlyMemory<byte>> Outputs, string? Error, bool WorkerDied)
{
    public static WorkResult Success(IReadOnlyList<ReadOnlyMemory<byte>> outputs) => new(true, outputs, null, false);

    public static WorkResult Failure(string error) => new(false, [], error, false);

    public static WorkResult Died(string why) => new(false, [], why, true);
}

/// <summary>
/// One free place in a worker: its pending take request. Handing it a work item answers that
/// request, which is how a batch reaches the worker, pushed, when there is one.
/// </summary>
internal sealed class Slot(WorkerHandle worker, Incarnation incarnation)
{
    // Inline too: assigning a batch writes the worker's answer without a thread hop.
    private readonly TaskCompletionSource<WorkItem> _take = new();

    public WorkerHandle Worker { get; } = worker;

    /// <summary>The process behind the slot: the one a batch assigned here runs in, whatever serves the slot later.</summary>
    public Incarnation Incarnation { get; } = incarnation;

    public Task<WorkItem> Taken => _take.Task;

    public bool IsUsable => !_take.Task.IsCompleted && Incarnation.IsReady;

    /// <summary>Gives the worker this batch; false if the slot is gone (the worker died or is stopping).</summary>
    public bool TryAssign(WorkItem item)
    {
        if (!Incarnation.IsReady) return false;
        item.AssignedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        Incarnation.InFlight[item.BatchId] = item;
        if (_take.TrySetResult(item)) return true;
        Incarnation.InFlight.TryRemove(item.BatchId, out _);
        return false;
    }

    public void Abandon() => _take.TrySetCanceled();
}
