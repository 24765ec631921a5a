using System.Diagnostics;
using Engine.SystemProcs;
using Engine.Telemetry;
using Microsoft.Extensions.Logging;

namespace Engine.Workers.Supervision;

/// <summary>
/// Runs one proc of a DLL system proc: waits until it has records to claim (pushed by the commit
/// path), takes a worker slot (and any other free ones), claims up to <c>Count</c> records per
/// slot, hands each slot a batch of at most <c>Count</c>, and ack-commits what the processors
/// return, in record order, to every <c>To</c> topic in one atomic step; any failure reclaims the
/// whole claim. A proc holds one claim at a time, so without this window one proc could keep
/// only one worker busy, whatever <c>Workers</c> says. A batch past its reclaim timeout has its
/// processor cancelled, and its worker is killed if it does not stop.
/// </summary>
internal sealed class SystemProcRunner(WorkerRuntime runtime, SystemProcRegistration registration, string topic, string procName, SystemProcFigures figures, ILogger logger)
{
    private readonly ProcOptions _procOptions = SystemProcNames.ProcOptions(registration.Options, procName);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>
    /// Whether the last claim failed: the retry then takes one batch, not a window of them, so a
    /// record that always fails ends up alone in its claim, and under DeadLetter only its batch
    /// goes to the dead-letter topic, not the good batches claimed beside it.
    /// </summary>
    private bool _lastClaimFailed;

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
                var slots = new List<Slot> { await runtime.Scheduler.AcquireAsync(_stop.Token) };
                if (!_lastClaimFailed) slots.AddRange(runtime.Scheduler.TakeFree(MaxWindow - 1));
                var claimedAt = Stopwatch.GetTimestamp();
                // The claim, the workers' runs and the ack-commit are one trace under this span.
                using var span = EngineActivities.StartProcess(procName, topic, registration.Name);
                var claim = await engine.ProcAsync(topic, _procOptions with { Count = _procOptions.Count * slots.Count }, CancellationToken.None);
                span?.SetTag(EngineActivities.BatchCount, claim.Count);
                var batches = claim.Chunk(_procOptions.Count).ToList();
                foreach (var unused in slots.Skip(batches.Count)) runtime.Scheduler.Return(unused);
                if (batches.Count == 0) continue;
                var items = new List<(WorkItem Item, Slot Slot)>();
                var stamp = runtime.Stamps.Of(registration.Options.Processor!);
                for (var i = 0; i < batches.Count; i++)
                {
                    var item = new WorkItem(runtime.NextBatchId(), this, batches[i], registration.Options.Processor!, stamp, span);
                    // A worker that went away since it offered its slot: the claim goes back whole.
                    if (!slots[i].TryAssign(item)) item.Complete(WorkResult.Failure($"worker {slots[i].Worker.Id} went away before the batch reached it"));
                    items.Add((item, slots[i]));
                }
                await FinishAsync(items, claimedAt, span);
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
                logger.SystemProcSkipped(procName, e.Message);
            }
        }
    }

    /// <summary>How many batches one claim may spread over: enough for every worker slot of a busy host.</summary>
    private const int MaxWindow = 16;

    private async Task FinishAsync(List<(WorkItem Item, Slot Slot)> items, long claimedAt, Activity? span)
    {
        var timers = items.Select(i => runtime.Clock.CreateTimer(_ => OnTimeout(i.Item, i.Slot.Incarnation), null, registration.Options.ReclaimTimeout, Timeout.InfiniteTimeSpan)).ToList();
        WorkResult[] results;
        try
        {
            results = await Task.WhenAll(items.Select(i => i.Item.Done));
        }
        finally
        {
            foreach (var timer in timers) await timer.DisposeAsync();
        }
        if (results.All(r => r.Ok))
        {
            var logs = new List<CommitLog>(results.Sum(r => r.Outputs.Count) * registration.Options.To.Count);
            foreach (var body in results.SelectMany(r => r.Outputs))
                foreach (var to in registration.Options.To) logs.Add(new CommitLog(to, body));
            // Counted before the ack: once it is written, WaitForProcs may return and the caller read
            // the figures, which must then count these batches (the workers' figures already do).
            var latency = Stopwatch.GetElapsedTime(claimedAt);
            figures.Executed(latency, items.Count);
            try
            {
                await runtime.Engine.AckCommitAsync(procName, logs, CancellationToken.None);
                _lastClaimFailed = false;
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.NothingToAck or LogEngineError.ProcIsDisabled)
            {
                // Timed out (and reclaimed) while the workers finished: nothing was committed.
                figures.Retract(latency, items.Count);
                figures.Failed(items.Count);
                logger.ClaimFinishedAfterReclaim(procName, e.Message);
            }
            catch
            {
                figures.Retract(latency, items.Count); // not acked: not an execution
                throw;
            }
            return;
        }
        figures.Failed(items.Count);
        _lastClaimFailed = true;
        var failures = results.Where(r => !r.Ok).ToList();
        foreach (var failure in failures)
            EngineMetrics.ProcessorFailed(runtime.Engine.StoreName, registration.Name, failure.WorkerDied ? "worker_died" : "processor_failed");
        EngineActivities.MarkFailed(span, failures[0].WorkerDied ? "worker_died" : "processor_failed", failures[0].Error);
        logger.ClaimFailed(procName, items[0].Item.Entries[0].Id, failures[0].Error);
        await ReclaimAsync(failures[0].Error ?? "the processor failed");
        foreach (var death in failures.Where(r => r.WorkerDied))
        {
            if (figures.Crashes.Spend())
            {
                await runtime.DisableAsync(registration, $"its processor took down {figures.Crashes.Total} workers; the last: {death.Error}");
                break;
            }
        }
    }

    /// <summary>
    /// The batch overran: its processor is cancelled, and the process that holds it (not whatever
    /// serves its slot by now: a spare may have taken over from a recycled process) is killed if
    /// it does not stop.
    /// </summary>
    private void OnTimeout(WorkItem item, Incarnation incarnation)
    {
        if (item.IsDone || !incarnation.InFlight.ContainsKey(item.BatchId)) return;
        logger.BatchOverran(procName, item.BatchId, registration.Options.ReclaimTimeout);
        incarnation.Send(Worker.WorkerProtocol.CancelBatch, item.BatchId);
        var grace = TimeSpan.FromMilliseconds(Math.Clamp(registration.Options.ReclaimTimeout.TotalMilliseconds / 2, 500, 5000));
        _ = Task.Run(async () =>
        {
            await Task.WhenAny(item.Done, Task.Delay(grace));
            if (!item.IsDone) runtime.Pool.Kill(incarnation, $"its processor ignored cancellation of batch {item.BatchId} for {grace.TotalMilliseconds:0} ms");
        });
    }

    private async Task ReclaimAsync(string error)
    {
        try
        {
            await runtime.Engine.ReclaimAfterFailureAsync(procName, error);
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

    /// <summary>A claim of <paramref name="batches"/> batches was processed and acked, <paramref name="latency"/> after it was claimed.</summary>
    public void Executed(TimeSpan latency, int batches = 1)
    {
        Interlocked.Add(ref _executions, batches);
        Interlocked.Add(ref _latencyTicks, latency.Ticks * batches);
    }

    /// <summary>Takes back <see cref="Executed"/>: the claim's ack failed after it was counted.</summary>
    public void Retract(TimeSpan latency, int batches)
    {
        Interlocked.Add(ref _executions, -batches);
        Interlocked.Add(ref _latencyTicks, -latency.Ticks * batches);
    }

    public void Failed(int batches = 1) => Interlocked.Add(ref _errors, batches);

    public SystemProcStats Stats()
    {
        var executions = Interlocked.Read(ref _executions);
        return new SystemProcStats(name, processor, executions, Interlocked.Read(ref _errors), Crashes.Total,
            executions == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / executions), DisabledReason);
    }
}
