using Engine.Ipc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Engine.Hosting;

/// <summary>
/// The engine's health: the store is open and accepts writes, every worker is up, no system
/// proc is disabled, and each watched proc is active with at most <see cref="LogEngineHealthCheckOptions.MaxLag"/>
/// records unacked. A worker still starting is Degraded; anything else wrong is the
/// registration's failure status. Works over an in-process engine and over a client alike
/// (writability can only be seen in-process).
/// </summary>
internal sealed class LogEngineHealthCheck(ILogClient client, LogEngineHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var degraded = new List<string>();
        var data = new Dictionary<string, object>();
        try
        {
            if (client is LogEngine { IsClosed: true })
                return new HealthCheckResult(context.Registration.FailureStatus, "the store is closed");
            if (client is LogEngine { WriteFailure: { } failure })
                problems.Add($"the store refuses writes until it is reopened: {failure.Message}");
            if (await StatsAsync(cancellationToken) is { } stats)
            {
                data["workers"] = stats.Workers.Count;
                foreach (var worker in stats.Workers.Where(w => w.State != "Ready"))
                    (worker.State == "Starting" ? degraded : problems).Add($"worker {worker.Id} is {worker.State}");
                foreach (var proc in stats.SystemProcs.Where(p => p.DisabledReason is not null))
                    problems.Add($"system proc {proc.Name} is disabled: {proc.DisabledReason}");
            }
            foreach (var name in options.Procs)
            {
                // The engine's own lag: computed from the indexes, counting only records GC still keeps.
                var info = await client.ProcInfoAsync(name, cancellationToken);
                if (info.State.Status == ProcStatus.Disabled) problems.Add($"proc {name} is disabled");
                var lag = info.Lag;
                data[$"lag:{name}"] = lag;
                if (lag > options.MaxLag) problems.Add($"proc {name} is {lag} records behind (at most {options.MaxLag})");
            }
        }
        catch (LogEngineException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the engine did not answer: {e.Code}: {e.Message}", e, data);
        }
        if (problems.Count > 0) return new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems.Concat(degraded)), data: data);
        if (degraded.Count > 0) return HealthCheckResult.Degraded(string.Join("; ", degraded), data: data);
        return HealthCheckResult.Healthy("store open, workers up, procs active", data);
    }

    private async ValueTask<EngineStats?> StatsAsync(CancellationToken ct) => client switch
    {
        LogEngine engine => await engine.GetStatsAsync(ct),
        LogClient remote => await remote.GetStatsAsync(ct),
        _ => null,
    };
}
