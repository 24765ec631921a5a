using System.Diagnostics;
using Engine.Bench.Measuring;
using Engine.Workers.Supervision;

namespace Engine.Bench.Workloads;

/// <summary>
/// W5's supervision figure (issue 5): how long the engine takes to replace a worker process that
/// was SIGKILLed. Measured through the public figures (<see cref="LogEngine.GetStatsAsync"/>),
/// polled every millisecond: "replaced" means the worker's slot shows a new process in state
/// Ready, which the engine sets when that process has connected back and said hello; it asks for
/// its first batch right after. Its processor DLL is loaded at that first batch, which is not counted.
/// With spare workers (<see cref="LogEngineOptions.SpareWorkers"/>) the new process is a spare
/// promoted into the slot, and a new spare starts behind it.
/// </summary>
internal static class WorkerRestarts
{
    private const string Ready = "Ready";

    /// <summary>How often the figures are read while waiting: the resolution of the measurement.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>Waits until <paramref name="workers"/> workers are Ready; returns how long that took, or fails clearly after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> WaitUntilReadyAsync(LogEngine engine, int workers, TimeSpan timeout, string who)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var stats = (await engine.GetStatsAsync()).Workers;
            if (stats.Count(w => w.State == Ready && w.ProcessId > 0) == workers) return Stopwatch.GetElapsedTime(started);
            if (Stopwatch.GetElapsedTime(started) > timeout)
                throw new BenchCheckException($"{who}: {workers} worker processes were not ready within {timeout.TotalSeconds:N0} s: {Describe(stats)}");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// With the pipeline idle and every worker Ready, SIGKILLs one worker process at a time
    /// (<paramref name="kills"/> times, going round the workers) and records the time from the kill
    /// until its slot shows a new process, Ready. Checks that each kill cost exactly one restart.
    /// With <paramref name="waitForSpare"/>, each kill waits (untimed) until a spare is Ready, and
    /// checks that the replacement is that spare: the steady state of a kill that comes later than
    /// one process start after the previous one. Without, each kill follows the last replacement at
    /// once, while the new spare may still be starting.
    /// </summary>
    public static async Task<LatencyRecorder> MeasureKillsAsync(LogEngine engine, int kills, TimeSpan timeout, string who, bool waitForSpare)
    {
        var latency = new LatencyRecorder(kills);
        for (var k = 0; k < kills; k++)
        {
            var spare = waitForSpare ? await WaitForSpareAsync(engine, timeout, who) : null;
            var workers = (await engine.GetStatsAsync()).Workers;
            var victim = workers[k % workers.Count];
            Expect.True(victim.State == Ready && victim.ProcessId > 0, $"{who}: worker {victim.Id} is not Ready before kill {k + 1}: {Describe(workers)}");

            using var process = Process.GetProcessById(victim.ProcessId);
            var killedAt = Stopwatch.GetTimestamp();
            process.Kill(); // SIGKILL: the worker gets no chance to say goodbye
            var now = victim;
            while (now.ProcessId == victim.ProcessId || now.ProcessId == 0 || now.State != Ready)
            {
                if (Stopwatch.GetElapsedTime(killedAt) > timeout)
                    throw new BenchCheckException($"{who}: worker {victim.Id} (process {victim.ProcessId}) was not replaced within {timeout.TotalSeconds:N0} s " +
                        $"of its SIGKILL: {Describe([now])}");
                await Task.Delay(PollInterval);
                now = (await engine.GetStatsAsync()).Workers.Single(w => w.Id == victim.Id);
            }
            latency.Record(k, killedAt);
            Expect.Count($"{who} restarts of worker {victim.Id} after kill {k + 1}", victim.Restarts + 1, now.Restarts);
            if (spare is not null)
                Expect.True(now.ProcessId == spare.ProcessId, $"{who}: worker {victim.Id} was replaced by process {now.ProcessId}, not by the spare {spare.ProcessId}, after kill {k + 1}");
        }
        return latency;
    }

    /// <summary>
    /// A Ready spare of the engine's worker pool: the spares are not in the public figures, so this
    /// reads the pool itself, waiting on its change events.
    /// </summary>
    private static async Task<Incarnation> WaitForSpareAsync(LogEngine engine, TimeSpan timeout, string who)
    {
        var pool = ((WorkerRuntime)engine.Runtime()).Pool;
        var ready = new TaskCompletionSource<Incarnation>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (pool.Spares.FirstOrDefault(s => s.IsReady) is { } spare) ready.TrySetResult(spare);
        }
        pool.Changed += Check;
        try
        {
            Check();
            return await ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new BenchCheckException($"{who}: no spare worker was ready within {timeout.TotalSeconds:N0} s");
        }
        finally
        {
            pool.Changed -= Check;
        }
    }

    private static string Describe(IEnumerable<WorkerStats> workers) =>
        string.Join("; ", workers.Select(w => $"worker {w.Id}: {w.State}, process {w.ProcessId}, {w.Restarts} restarts, {w.Errors} errors"));
}
