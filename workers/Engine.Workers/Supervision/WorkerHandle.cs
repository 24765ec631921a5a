using System.Collections.Concurrent;
using System.Diagnostics;

namespace Engine.Workers.Supervision;

/// <summary>
/// One worker, stable across restarts (its number), and its current incarnation: the process,
/// the batches it holds, the commands waiting for its control request. Figures accumulate over
/// all incarnations.
/// </summary>
internal sealed class WorkerHandle(int id)
{
    private long _executions;
    private long _errors;
    private long _latencyTicks;

    public int Id { get; } = id;

    public Incarnation? Current { get; set; }

    public int Restarts { get; set; }

    /// <summary>Failed starts in a row, for the restart back-off.</summary>
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

    /// <summary>One process of the worker.</summary>
    internal sealed class Incarnation(Process process)
    {
        private readonly Lock _lock = new();
        private readonly Queue<(byte Command, long BatchId)> _commands = new();
        private TaskCompletionSource<(byte, long)>? _controlWaiter;

        public Process Process { get; } = process;

        public int ProcessId { get; } = process.Id;

        public WorkerState State { get; set; } = WorkerState.Starting;

        public bool IsReady => State == WorkerState.Ready;

        public long ExecutionsSinceStart { get; set; }

        public ConcurrentDictionary<long, WorkItem> InFlight { get; } = new();

        public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Queues a command for the worker's control request.</summary>
        public void Send(byte command, long batchId = 0)
        {
            lock (_lock)
            {
                if (_controlWaiter is { } waiter && waiter.TrySetResult((command, batchId)))
                {
                    _controlWaiter = null;
                    return;
                }
                _commands.Enqueue((command, batchId));
            }
        }

        /// <summary>The next command, when there is one.</summary>
        public Task<(byte Command, long BatchId)> NextCommandAsync(CancellationToken ct)
        {
            lock (_lock)
            {
                if (_commands.TryDequeue(out var command)) return Task.FromResult(command);
                var waiter = new TaskCompletionSource<(byte, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
                _controlWaiter = waiter;
                ct.Register(() => waiter.TrySetCanceled(ct));
                return waiter.Task;
            }
        }
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
