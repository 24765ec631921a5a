using System.CommandLine;
using System.Globalization;

namespace Engine.Host.Cli;

/// <summary><c>engine workers</c>: per-worker and per-system-proc figures from a running host.</summary>
internal static class WorkersCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("workers", """
            Show each worker process (pid, executions, errors, restarts, latency, state) and each system proc's figures. Needs a running host.
            Example: engine workers --namespace myapp        engine workers --namespace myapp --json
            """).WithStoreOptions();
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "workers", async client =>
        {
            var stats = await StatsAsync(client, ct);
            if (result.GetValue(StoreAccess.Json))
            {
                Output.Json(io, stats);
                return ExitCodes.Ok;
            }
            Output.Table(io, ["worker", "pid", "executions", "errors", "restarts", "avg latency", "state"], stats.Workers.Select(w => new[]
            {
                w.Id.ToString(CultureInfo.InvariantCulture), w.ProcessId.ToString(CultureInfo.InvariantCulture), w.Executions.ToString("N0", CultureInfo.InvariantCulture),
                w.Errors.ToString("N0", CultureInfo.InvariantCulture), w.Restarts.ToString(CultureInfo.InvariantCulture), Units.Format(w.AverageLatency), w.State,
            }));
            Output.Table(io, ["system proc", "processor", "executions", "errors", "worker crashes", "avg latency", "disabled because"], stats.SystemProcs.Select(p => new[]
            {
                p.Name, p.Processor, p.Executions.ToString("N0", CultureInfo.InvariantCulture), p.Errors.ToString("N0", CultureInfo.InvariantCulture),
                p.WorkerCrashes.ToString(CultureInfo.InvariantCulture), Units.Format(p.AverageLatency), p.DisabledReason ?? "-",
            }));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Stats of whichever client it is (a store opened by --path runs no workers: it has none to show).</summary>
    public static ValueTask<EngineStats> StatsAsync(ILogClient client, CancellationToken ct) => client switch
    {
        Engine.Ipc.LogClient remote => remote.GetStatsAsync(ct),
        LogEngine local => local.GetStatsAsync(ct),
        _ => throw new LogEngineException(LogEngineError.InvalidArgument, "this client has no stats"),
    };
}
