using System.Diagnostics;
using Engine.SystemProcs;
using Microsoft.Extensions.Logging;

namespace Engine.Workers.Supervision;

/// <summary>
/// Runs one proc of a DLL system proc: waits until it has records to claim (pushed by the commit
/// path), takes a worker slot, claims, hands the batch to the worker, and acks-commits what the
/// processor returns to every <c>To</c> topic, or reclaims on failure. A batch past its reclaim
/// timeout has its processor cancelled, and its worker is killed if it does not stop.
/// </summary>
internal sealed class SystemProcRunner(WorkerRuntime runtime, SystemProcRegistration registration, string topic, string procName, SystemProcFigures figures, ILogger logger)
{
    private readonly ProcOptions _procOptions = SystemProcNames.ProcOptions(registration.Options, procName);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public string SystemProc => registration.Name;

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Stops claiming; a batch in hand is finished (bounded by the caller).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task LoopAsync()
    {
        var engine = runtime.Engine;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await engine.WaitUntilClaimableAsync(topic, _procOptions, _stop.Token);
                var slot = await runtime.Scheduler.AcquireAsync(_stop.Token);
                var batch = await engine.ProcAsync(topic, _procOptions, CancellationToken.None);
                if (batch.Count == 0)
                {
                    runtime.Scheduler.Return(slot);
                    continue;
                }
                var item = new WorkItem(runtime.NextBatchId(), this, batch, registration.Options.Processor!, runtime.Stamps.Of(registration.Options.Processor!));
                if (!slot.TryAssign(item))
                {
                    await ReclaimAsync(); // the worker went away between offering the slot and now
                    continue;
                }
                await FinishAsync(item, slot.Worker);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.Closed)
            {
                return;
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.ProcIsDisabled or LogEngineError.ProcNotFound or LogEngineError.NothingToAck or LogEngineError.NothingToReclaim)
            {
                logger.LogDebug("System proc {Proc}: {Reason}", procName, e.Message);
            }
        }
    }

    private async Task FinishAsync(WorkItem item, WorkerHandle worker)
    {
        using var deadline = runtime.Clock.CreateTimer(_ => OnTimeout(item, worker), null, registration.Options.ReclaimTimeout, Timeout.InfiniteTimeSpan);
        var result = await item.Done;
        var latency = Stopwatch.GetElapsedTime(item.AssignedAt);
        if (result.Ok)
        {
            var logs = new List<CommitLog>(result.Outputs.Count * registration.Options.To.Count);
            foreach (var body in result.Outputs)
                foreach (var to in registration.Options.To) logs.Add(new CommitLog(to, body));
            try
            {
                await runtime.Engine.AckCommitAsync(procName, logs, CancellationToken.None);
                figures.Executed(latency);
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.NothingToAck or LogEngineError.ProcIsDisabled)
            {
                // Timed out (and reclaimed) while the worker finished: nothing was committed.
                figures.Failed();
                logger.LogWarning("System proc {Proc}: batch {Batch} finished after its claim was reclaimed ({Reason})", procName, item.BatchId, e.Message);
            }
            return;
        }
        figures.Failed();
        logger.LogWarning("System proc {Proc}: batch {First} failed: {Error}", procName, item.Entries[0].Id, result.Error);
        await ReclaimAsync();
        if (result.WorkerDied && figures.Crashes.Spend()) await runtime.DisableAsync(registration, $"its processor took down {figures.Crashes.Total} workers; the last: {result.Error}");
    }

    private void OnTimeout(WorkItem item, WorkerHandle worker)
    {
        if (item.IsDone || worker.Current is not { } incarnation || !incarnation.InFlight.ContainsKey(item.BatchId)) return;
        logger.LogWarning("System proc {Proc}: batch {Batch} ran past {Timeout}; cancelling its processor", procName, item.BatchId, registration.Options.ReclaimTimeout);
        incarnation.Send(Worker.WorkerProtocol.CancelBatch, item.BatchId);
        var grace = TimeSpan.FromMilliseconds(Math.Clamp(registration.Options.ReclaimTimeout.TotalMilliseconds / 2, 500, 5000));
        _ = Task.Run(async () =>
        {
            await Task.WhenAny(item.Done, Task.Delay(grace));
            if (!item.IsDone) runtime.Pool.Kill(worker, $"its processor ignored cancellation of batch {item.BatchId} for {grace.TotalMilliseconds:0} ms");
        });
    }

    private async Task ReclaimAsync()
    {
        try
        {
            await runtime.Engine.ReclaimProcAsync(procName, CancellationToken.None);
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.NothingToReclaim or LogEngineError.ProcIsDisabled)
        {
            // reclaimed by its timeout already, or disabled by reaching MaxReclaims
        }
    }
}

/// <summary>A system proc's figures, shared by its runners.</summary>
internal sealed class SystemProcFigures(string name, string processor)
{
    private long _executions;
    private long _errors;
    private long _latencyTicks;

    public CrashBudget Crashes { get; } = CrashBudget.Default();

    public string? DisabledReason { get; set; }

    public void Executed(TimeSpan latency)
    {
        Interlocked.Increment(ref _executions);
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
    }

    public void Failed() => Interlocked.Increment(ref _errors);

    public SystemProcStats Stats()
    {
        var executions = Interlocked.Read(ref _executions);
        return new SystemProcStats(name, processor, executions, Interlocked.Read(ref _errors), Crashes.Total,
            executions == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / executions), DisabledReason);
    }
}
