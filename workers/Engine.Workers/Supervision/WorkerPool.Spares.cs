namespace Engine.Workers.Supervision;

/// <summary>
/// The spares: processes started ahead of need, promoted into a slot when its process is lost or
/// recycled, and replaced in the background. A promotion takes no process start (hundreds of
/// milliseconds of a .NET runtime starting on a busy machine), only a change of the pool's map.
/// </summary>
internal sealed partial class WorkerPool
{
    /// <summary>The spares now (started, not promoted), for tests and the benchmark.</summary>
    public IReadOnlyList<Incarnation> Spares
    {
        get
        {
            lock (_lock) return [.. _spares];
        }
    }

    /// <summary>
    /// A slot's process is gone or retiring, counted as one restart: a ready spare (else one still
    /// starting) takes the slot at once, its waiting take requests start taking batches, and a new
    /// spare starts behind it. With no spare, a new process is started for the slot after the
    /// back-off; unless <paramref name="startIfNoSpare"/> is false (a recycled process, still
    /// finishing its batches): then nothing happens here, and the slot is started again when that
    /// process has exited, so one slot never has two processes of its own starting.
    /// </summary>
    private void Replace(WorkerHandle worker, string reason, bool startIfNoSpare)
    {
        Incarnation? spare;
        int failures;
        lock (_lock)
        {
            if (_closed) return;
            spare = _spares.FirstOrDefault(s => s.State == WorkerState.Ready) ?? _spares.FirstOrDefault(s => s.State == WorkerState.Starting);
            if (spare is null && !startIfNoSpare) return;
            worker.Restarts++;
            failures = worker.ConsecutiveFailures++;
            if (spare is not null)
            {
                _spares.Remove(spare);
                spare.Serve(worker);
                worker.Current = spare;
                if (spare.IsReady) worker.ConsecutiveFailures = 0;
            }
        }
        Telemetry.EngineMetrics.WorkerRestarted(runtime.Engine.StoreName, reason);
        if (spare is null)
        {
            ScheduleStart(worker, RestartBackOff.Delay(failures));
            return;
        }
        logger.SparePromoted(worker.Id, spare.ProcessId);
        OnChanged();
        TopUpSpares();
    }

    /// <summary>
    /// Starts spares until there are <c>SpareWorkers</c>, started or on their way, once every slot
    /// has a ready process: a spare starting beside a slot's own process would slow that start down
    /// (starting .NET takes the CPU) for a replacement nobody needs yet. Each round of starts waits
    /// the spares' back-off, which grows until a spare says hello: spares that die at start (or are
    /// promoted into slots whose processors kill them) do not make it spin.
    /// </summary>
    private void TopUpSpares()
    {
        int missing;
        TimeSpan delay;
        lock (_lock)
        {
            if (_closed || !_started || _workers.Any(w => w.Current is not { IsReady: true })) return;
            missing = spareCount - _spares.Count - _sparesOnTheirWay;
            if (missing <= 0) return;
            _sparesOnTheirWay += missing;
            delay = RestartBackOff.Delay(_spareFailures++);
        }
        for (var i = 0; i < missing; i++) ScheduleStart(null, delay);
    }
}
