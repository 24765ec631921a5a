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
    public void Offer(Slot slot) => Give(slot, front: false);

    /// <summary>A slot taken but not used (the claim came back empty) goes back to the front.</summary>
    public void Return(Slot slot) => Give(slot, front: true);

    /// <summary>
    /// Hands the slot to the first waiting runner, whose continuation runs right here (outside the
    /// lock): it claims and assigns at once. With nobody waiting, the slot is kept.
    /// </summary>
    private void Give(Slot slot, bool front)
    {
        while (true)
        {
            TaskCompletionSource<Slot>? runner;
            lock (_lock)
            {
                if (!_waiting.TryDequeue(out runner))
                {
                    if (front) _free.AddFirst(slot);
                    else _free.AddLast(slot);
                    return;
                }
            }
            if (runner.TrySetResult(slot)) return;
        }
    }

    /// <summary>Takes up to <paramref name="most"/> more free slots without waiting (to widen a claim).</summary>
    public List<Slot> TakeFree(int most)
    {
        var taken = new List<Slot>();
        lock (_lock)
        {
            while (taken.Count < most && _free.First is { } first)
            {
                _free.RemoveFirst();
                if (first.Value.IsUsable) taken.Add(first.Value);
            }
        }
        return taken;
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
            var waiter = new TaskCompletionSource<Slot>();
            ct.Register(() => waiter.TrySetCanceled(ct));
            _waiting.Enqueue(waiter);
            return waiter.Task;
        }
    }
}
