using System.Collections.Concurrent;
using System.Diagnostics;

namespace Engine.Workers.Supervision;

/// <summary>
/// One worker process: its number (the <c>--worker-id</c> it was started with, which every request
/// on the worker channel carries), the slot it serves, the batches it holds, the commands waiting
/// for its control request. The number belongs to the process, not to a slot, so a spare started
/// before any slot needed it can be promoted into whichever slot loses its worker without telling
/// the process anything: the pool maps the number to the slot.
/// </summary>
internal sealed class Incarnation
{
    private readonly Lock _lock = new();
    private readonly Queue<(byte Command, long BatchId)> _commands = new();
    private readonly TaskCompletionSource<WorkerHandle> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<(byte, long)>? _controlWaiter;

    /// <summary>A process started for <paramref name="worker"/>, or a spare when it is null.</summary>
    public Incarnation(int number, Process process, WorkerHandle? worker)
    {
        Number = number;
        Process = process;
        ProcessId = process.Id;
        StartedAsSpare = worker is null;
        if (worker is not null) Serve(worker);
    }

    public int Number { get; }

    public Process Process { get; }

    public int ProcessId { get; }

    public bool StartedAsSpare { get; }

    /// <summary>The slot this process serves; null while it is a spare. Set by the pool, under its lock.</summary>
    public WorkerHandle? Worker { get; private set; }

    /// <summary>Completes when the process serves a slot: a spare's take requests wait on it, so it gets no batch before.</summary>
    public Task<WorkerHandle> Serving => _serving.Task;

    public WorkerState State { get; set; } = WorkerState.Starting;

    public bool IsReady => State == WorkerState.Ready;

    public long ExecutionsSinceStart { get; set; }

    public ConcurrentDictionary<long, WorkItem> InFlight { get; } = new();

    /// <summary>Completes when the OS process has exited (not merely when the pool counts it lost).</summary>
    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Puts the process in <paramref name="worker"/>'s service. The waiting take requests resume on
    /// the thread pool (continuations are asynchronous), not inside the pool's lock.
    /// </summary>
    public void Serve(WorkerHandle worker)
    {
        Worker = worker;
        _serving.TrySetResult(worker);
    }

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
