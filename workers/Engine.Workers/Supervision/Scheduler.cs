namespace Engine.Workers.Supervision;

/// <summary>
/// Matches free worker slots with proc runners that have work, first come first served on both
/// sides: runners only ask once their proc has records to claim, so an idle proc never holds a
/// slot, and slots of every worker go round all procs with work in turn.
/// </summary>
internal sealed class Scheduler
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Slot> _free = [];
    private readonly Queue<TaskCompletionSource<Slot>> _waiting = new();

    /// <summary>A worker is ready for another batch.</summary>
    public void Offer(Slot slot)
    {
        lock (_lock)
        {
            while (_waiting.TryDequeue(out var runner))
            {
                if (runner.TrySetResult(slot)) return;
            }
            _free.AddLast(slot);
        }
    }

    /// <summary>A slot taken but not used (the claim came back empty) goes back to the front.</summary>
    public void Return(Slot slot)
    {
        lock (_lock)
        {
            while (_waiting.TryDequeue(out var runner))
            {
                if (runner.TrySetResult(slot)) return;
            }
            _free.AddFirst(slot);
        }
    }

    public Task<Slot> AcquireAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            while (_free.First is { } first)
            {
                _free.RemoveFirst();
                if (first.Value.IsUsable) return Task.FromResult(first.Value);
            }
            var waiter = new TaskCompletionSource<Slot>(TaskCreationOptions.RunContinuationsAsynchronously);
            ct.Register(() => waiter.TrySetCanceled(ct));
            _waiting.Enqueue(waiter);
            return waiter.Task;
        }
    }
}
