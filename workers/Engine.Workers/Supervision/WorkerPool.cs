using System.Diagnostics;
using Engine.Ipc.Transport;
using Microsoft.Extensions.Logging;

namespace Engine.Workers.Supervision;

/// <summary>
/// The worker processes. A worker is found dead when its process exits (any cause: an unhandled
/// exception, Environment.Exit, a stack overflow, SIGKILL) or its connection is lost (a hung
/// process stops sending heartbeats and is reaped); either way its batches fail as "worker died"
/// (their runners reclaim them) and it is started again after a back-off that grows while starts
/// keep failing. After <c>WorkerRestartAfter</c> executions a worker is recycled gracefully.
/// </summary>
internal sealed class WorkerPool(WorkerRuntime runtime, int count, int concurrency, int restartAfter, ILogger logger) : IAsyncDisposable
{
    private readonly WorkerHandle[] _workers = [.. Enumerable.Range(0, count).Select(i => new WorkerHandle(i))];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private bool _started;

    public IReadOnlyList<WorkerHandle> Workers => _workers;

    /// <summary>Starts the workers, once: when the first DLL system proc runs.</summary>
    public void EnsureStarted()
    {
        lock (_lock)
        {
            if (_started) return;
            _started = true;
        }
        foreach (var worker in _workers) Start(worker);
    }

    public WorkerHandle? Find(int id) => id >= 0 && id < _workers.Length ? _workers[id] : null;

    private void Start(WorkerHandle worker)
    {
        if (_stopping.IsCancellationRequested) return;
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(WorkerPool).Assembly.Location);
        info.Environment[SecretHandOff.WorkerTokenVariable] = runtime.Token; // not on the command line, where any user sees it
        foreach (var argument in new[]
        {
            "--socket", runtime.Address,
            "--worker-id", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
            info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            logger.WorkerCouldNotStart(e, worker.Id);
            ScheduleRestart(worker);
            return;
        }
        var incarnation = new WorkerHandle.Incarnation(process);
        worker.Current = incarnation;
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) logger.WorkerStandardError(worker.Id, e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => Lost(worker, incarnation, $"its process exited with code {SafeExitCode(process)}");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (process.HasExited) Lost(worker, incarnation, "its process exited at once");
    }

    /// <summary>The worker's hello: it is connected and ready for batches.</summary>
    public WorkerHandle.Incarnation? Ready(int id, int processId, CancellationToken connectionClosed)
    {
        var worker = Find(id);
        var incarnation = worker?.Current;
        if (worker is null || incarnation is null || incarnation.ProcessId != processId || incarnation.State != WorkerState.Starting) return null;
        incarnation.State = WorkerState.Ready;
        worker.ConsecutiveFailures = 0;
        connectionClosed.Register(() => Lost(worker, incarnation, "its connection was lost"));
        logger.WorkerReady(worker.Id, processId);
        return incarnation;
    }

    /// <summary>
    /// An incarnation is gone: its batches fail as "worker died", its process is killed if it is
    /// still there (a hung worker), and the worker starts again.
    /// </summary>
    public void Lost(WorkerHandle worker, WorkerHandle.Incarnation incarnation, string why)
    {
        bool expected;
        lock (_lock)
        {
            if (incarnation.State == WorkerState.Stopped) return;
            expected = incarnation.State == WorkerState.Stopping;
            incarnation.State = WorkerState.Stopped;
            if (!expected) logger.WorkerGone(worker.Id, incarnation.ProcessId, why);
        }
        foreach (var item in incarnation.InFlight.Values)
        {
            worker.Failed();
            item.Complete(WorkResult.Died($"worker {worker.Id} died while running it: {why}"));
        }
        incarnation.InFlight.Clear();
        Kill(incarnation);
        incarnation.Exited.TrySetResult();
        if (worker.Current == incarnation && !_stopping.IsCancellationRequested)
        {
            worker.Restarts++;
            Telemetry.EngineMetrics.WorkerRestarted(runtime.Engine.StoreName, expected ? "recycled" : "died");
            ScheduleRestart(worker);
        }
    }

    /// <summary>Kills a worker whose processor ignored cancellation (its batches then fail as above).</summary>
    public void Kill(WorkerHandle worker, string why)
    {
        if (worker.Current is { } incarnation)
        {
            logger.KillingWorker(worker.Id, incarnation.ProcessId, why);
            Lost(worker, incarnation, why);
        }
    }

    /// <summary>Counts an execution; a worker that reached <c>WorkerRestartAfter</c> is replaced gracefully.</summary>
    public void Executed(WorkerHandle worker, WorkerHandle.Incarnation incarnation)
    {
        incarnation.ExecutionsSinceStart++;
        if (restartAfter <= 0 || incarnation.ExecutionsSinceStart < restartAfter || incarnation.State != WorkerState.Ready) return;
        incarnation.State = WorkerState.Stopping;
        logger.RecyclingWorker(worker.Id, incarnation.ExecutionsSinceStart);
        _ = RecycleAsync(worker, incarnation);
    }

    private async Task RecycleAsync(WorkerHandle worker, WorkerHandle.Incarnation incarnation)
    {
        await Task.WhenAll(incarnation.InFlight.Values.Select(i => i.Done));
        incarnation.Send(Worker.WorkerProtocol.Exit);
        await Task.WhenAny(incarnation.Exited.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        // Lost counts the restart and starts the next process, once: whichever of this call and the
        // process's exit gets there first does it (counting and starting here too gave two
        // processes for one slot and two restarts per recycle).
        Lost(worker, incarnation, "recycled");
    }

    private void ScheduleRestart(WorkerHandle worker)
    {
        var failures = worker.ConsecutiveFailures++;
        var delay = TimeSpan.FromMilliseconds(Math.Min(5000, failures == 0 ? 0 : 100 * (1 << Math.Min(failures, 6))));
        _ = Task.Run(async () =>
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            if (!_stopping.IsCancellationRequested) Start(worker);
        });
    }

    private static void Kill(WorkerHandle.Incarnation incarnation)
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

    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>Tells every worker to exit after its batch in hand, waits (bounded), then kills what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        var exits = new List<Task>();
        foreach (var worker in _workers)
        {
            if (worker.Current is not { State: WorkerState.Ready or WorkerState.Starting } incarnation) continue;
            incarnation.State = WorkerState.Stopping;
            incarnation.Send(Worker.WorkerProtocol.Exit);
            exits.Add(incarnation.Exited.Task);
        }
        await Task.WhenAny(Task.WhenAll(exits), Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var worker in _workers)
            if (worker.Current is { } incarnation) Lost(worker, incarnation, "the engine stopped");
        _stopping.Dispose();
    }
}
