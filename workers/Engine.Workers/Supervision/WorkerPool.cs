using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Engine.Workers.Supervision;

/// <summary>
/// The worker processes: one per slot, and <c>SpareWorkers</c> spares started ahead of need,
/// connected but given no batch. A worker is found dead when its process exits (any cause: an
/// unhandled exception, Environment.Exit, a stack overflow, SIGKILL) or its connection is lost (a
/// hung process stops sending heartbeats and is reaped); either way its batches fail as "worker
/// died" (their runners reclaim them) and a spare takes its slot at once while a new spare starts
/// in the background. Starting a .NET process takes hundreds of milliseconds, which the spare keeps
/// off the path of a replacement. Without a spare the slot's own process is started again after a
/// back-off that grows while starts keep failing. After <c>WorkerRestartAfter</c> executions a
/// worker is recycled gracefully, a spare taking over as it finishes its batches in hand.
/// </summary>
internal sealed partial class WorkerPool(WorkerRuntime runtime, int count, int spareCount, int concurrency, int restartAfter, ILogger logger) : IAsyncDisposable
{
    private readonly WorkerHandle[] _workers = [.. Enumerable.Range(0, count).Select(i => new WorkerHandle(i))];

    /// <summary>Every live process by its number (the id on the wire): slots' and spares'.</summary>
    private readonly ConcurrentDictionary<int, Incarnation> _processes = new();

    // Under _lock, with the slots' Current, the processes' Worker and State changes that decide a promotion.
    private readonly Lock _lock = new();
    private readonly List<Incarnation> _spares = [];
    private bool _started;
    private bool _closed;

    /// <summary>Spare starts scheduled (after their back-off) but not yet registered.</summary>
    private int _sparesOnTheirWay;

    /// <summary>Rounds of spare starts since a spare last said hello, for the spares' back-off.</summary>
    private int _spareFailures;

    /// <summary>The last process number given out; never reused, so a late request of a lost process cannot reach another.</summary>
    private int _lastNumber;

    public IReadOnlyList<WorkerHandle> Workers => _workers;

    /// <summary>
    /// Raised after a worker process is registered, says hello, is promoted or is lost: tests and
    /// the benchmark wait on a condition of the pool by re-checking it here, not by polling.
    /// </summary>
    public event Action? Changed;

    /// <summary>Starts the workers, once: when the first DLL system proc runs. The spares follow when they are ready.</summary>
    public void EnsureStarted()
    {
        lock (_lock)
        {
            if (_started) return;
            _started = true;
        }
        foreach (var worker in _workers) Start(worker);
    }

    /// <summary>The live process with this number (the id its requests carry), or null.</summary>
    public Incarnation? Process(int number) => _processes.TryGetValue(number, out var incarnation) ? incarnation : null;

    /// <summary>Starts a process for <paramref name="worker"/>, or a spare when it is null.</summary>
    private void Start(WorkerHandle? worker)
    {
        if (Volatile.Read(ref _closed)) return;
        var number = Interlocked.Increment(ref _lastNumber);
        Process process;
        try
        {
            process = WorkerLauncher.Start(runtime.Address, runtime.Token, number, concurrency);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            if (worker is null)
            {
                logger.SpareCouldNotStart(e);
                lock (_lock) _sparesOnTheirWay--;
                TopUpSpares();
            }
            else
            {
                logger.WorkerCouldNotStart(e, worker.Id);
                int failures;
                lock (_lock) failures = worker.ConsecutiveFailures++;
                ScheduleStart(worker, RestartBackOff.Delay(failures));
            }
            return;
        }
        var incarnation = new Incarnation(number, process, worker);
        bool closed;
        lock (_lock)
        {
            // Registered under the lock Dispose takes its list under: a process is either stopped
            // by Dispose or killed here, never left behind.
            closed = _closed;
            if (!closed)
            {
                _processes[number] = incarnation;
                if (worker is null)
                {
                    _sparesOnTheirWay--;
                    _spares.Add(incarnation);
                }
                else
                {
                    worker.Current = incarnation;
                }
            }
        }
        if (closed)
        {
            KillProcess(incarnation);
            return;
        }
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (incarnation.Worker is { } serving) logger.WorkerStandardError(serving.Id, e.Data);
            else logger.SpareStandardError(incarnation.ProcessId, e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) =>
        {
            incarnation.Exited.TrySetResult();
            Lost(incarnation, $"its process exited with code {SafeExitCode(process)}");
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        OnChanged();
        if (process.HasExited)
        {
            incarnation.Exited.TrySetResult();
            Lost(incarnation, "its process exited at once");
        }
    }

    /// <summary>A worker process's hello: it is connected, and ready for batches once it serves a slot.</summary>
    public Incarnation? Ready(int number, int processId, CancellationToken connectionClosed)
    {
        Incarnation? incarnation;
        lock (_lock)
        {
            if (!_processes.TryGetValue(number, out incarnation) || incarnation.ProcessId != processId) return null;
            // Told to stop before it could say hello (the engine is closing): let it in, so it reads
            // the exit waiting for its control request and ends cleanly instead of failing its hello.
            if (incarnation.State == WorkerState.Stopping) return incarnation;
            if (incarnation.State != WorkerState.Starting) return null;
            incarnation.State = WorkerState.Ready;
            if (incarnation.StartedAsSpare) _spareFailures = 0;
            if (incarnation.Worker is { } worker) worker.ConsecutiveFailures = 0;
        }
        connectionClosed.Register(() => Lost(incarnation, "its connection was lost"));
        if (incarnation.Worker is { } serving)
        {
            logger.WorkerReady(serving.Id, processId);
            TopUpSpares(); // this may have been the last slot the spares waited for
        }
        else
        {
            logger.SpareReady(processId);
        }
        OnChanged();
        return incarnation;
    }

    /// <summary>
    /// A process is gone: its batches fail as "worker died", it is killed if it is still there (a
    /// hung worker), and what it was is replaced: its slot, or its place among the spares. A process
    /// told to exit (recycled, or the engine closing) is not killed here when its connection closes
    /// first: it is on its way out, and whoever told it waits for its exit, bounded, then kills it.
    /// </summary>
    public void Lost(Incarnation incarnation, string why)
    {
        WorkerHandle? worker;
        bool expected;
        bool replace;
        lock (_lock)
        {
            if (incarnation.State == WorkerState.Stopped) return;
            expected = incarnation.State == WorkerState.Stopping;
            incarnation.State = WorkerState.Stopped;
            _processes.TryRemove(incarnation.Number, out _);
            worker = incarnation.Worker;
            if (worker is null) _spares.Remove(incarnation);
            // A recycled process whose slot a spare already took is not replaced twice.
            replace = worker is not null && worker.Current == incarnation && !_closed;
        }
        if (!expected)
        {
            if (worker is null) logger.SpareGone(incarnation.ProcessId, why);
            else logger.WorkerGone(worker.Id, incarnation.ProcessId, why);
        }
        foreach (var item in incarnation.InFlight.Values)
        {
            worker?.Failed();
            item.Complete(WorkResult.Died($"worker {worker?.Id} died while running it: {why}"));
        }
        incarnation.InFlight.Clear();
        if (!expected) KillProcess(incarnation);
        if (replace) Replace(worker!, expected ? "recycled" : "died", startIfNoSpare: true);
        else if (worker is null) TopUpSpares();
        OnChanged();
    }

    /// <summary>Kills a process whose processor ignored cancellation (its batches then fail as above).</summary>
    public void Kill(Incarnation incarnation, string why)
    {
        if (incarnation.State == WorkerState.Stopped) return;
        logger.KillingWorker(incarnation.Worker?.Id ?? -1, incarnation.ProcessId, why);
        KillProcess(incarnation); // first: a recycled process, Stopping, is not killed by Lost
        Lost(incarnation, why);
    }

    /// <summary>Counts an execution; a process that reached <c>WorkerRestartAfter</c> is replaced gracefully.</summary>
    public void Executed(Incarnation incarnation)
    {
        incarnation.ExecutionsSinceStart++;
        if (restartAfter <= 0 || incarnation.ExecutionsSinceStart < restartAfter || incarnation.Worker is not { } worker) return;
        lock (_lock)
        {
            if (incarnation.State != WorkerState.Ready) return;
            incarnation.State = WorkerState.Stopping;
        }
        logger.RecyclingWorker(worker.Id, incarnation.ExecutionsSinceStart);
        Replace(worker, "recycled", startIfNoSpare: false);
        _ = RecycleAsync(incarnation);
    }

    private async Task RecycleAsync(Incarnation incarnation)
    {
        await Task.WhenAll(incarnation.InFlight.Values.Select(i => i.Done));
        incarnation.Send(Worker.WorkerProtocol.Exit);
        await Task.WhenAny(incarnation.Exited.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        KillProcess(incarnation); // still there after its grace: hung on the way out
        // Lost counts the restart and starts the next process when no spare took the slot already,
        // once: whichever of this call and the process's exit gets there first does it (counting
        // and starting here too gave two processes for one slot and two restarts per recycle).
        Lost(incarnation, "recycled");
    }

    /// <summary>Starts a process for <paramref name="worker"/> (a spare when null) on the thread pool after <paramref name="delay"/>.</summary>
    private void ScheduleStart(WorkerHandle? worker, TimeSpan delay) =>
        // Off the caller's thread: Lost runs on the process's exit event or a connection's close,
        // and starting a process blocks for a few milliseconds.
        _ = Task.Run(async () =>
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            Start(worker);
        });

    private void OnChanged() => Changed?.Invoke();

    /// <summary>SIGKILLs the process (and anything it started) if it is still there.</summary>
    private static void KillProcess(Incarnation incarnation)
    {
        try
        {
            if (!incarnation.Process.HasExited) incarnation.Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    /// <summary>
    /// Tells every process, spares too, to exit after its batch in hand, waits (bounded) until they
    /// have, then kills what is left: no worker process outlives the engine.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<Incarnation> live;
        var told = new List<Incarnation>();
        lock (_lock)
        {
            _closed = true;
            live = [.. _processes.Values];
            foreach (var incarnation in live)
            {
                if (incarnation.State is not (WorkerState.Ready or WorkerState.Starting)) continue;
                incarnation.State = WorkerState.Stopping;
                told.Add(incarnation);
            }
        }
        foreach (var incarnation in told) incarnation.Send(Worker.WorkerProtocol.Exit);
        await Task.WhenAny(Task.WhenAll(told.Select(i => i.Exited.Task)), Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var incarnation in live)
        {
            KillProcess(incarnation);
            Lost(incarnation, "the engine stopped");
        }
    }
}
