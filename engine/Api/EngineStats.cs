namespace Engine;

/// <summary>Figures of the processing side: worker processes and system procs.</summary>
public sealed record EngineStats(IReadOnlyList<WorkerStats> Workers, IReadOnlyList<SystemProcStats> SystemProcs);

/// <summary>One worker slot's process and what it has done since the engine started.</summary>
/// <param name="Id">The worker's number (stable across its restarts).</param>
/// <param name="ProcessId">The current process, or 0 while it is (re)starting.</param>
/// <param name="Executions">Batches run to an answer.</param>
/// <param name="Errors">Batches whose processor threw, timed out, or whose worker died.</param>
/// <param name="Restarts">Times the process was replaced (crash, hang, or <c>WorkerRestartAfter</c>).</param>
/// <param name="AverageLatency">Mean time from handing out a batch to its answer.</param>
/// <param name="State">Starting, Ready, Stopping or Stopped.</param>
public sealed record WorkerStats(int Id, int ProcessId, long Executions, long Errors, int Restarts, TimeSpan AverageLatency, string State);

/// <summary>One system proc's figures.</summary>
/// <param name="Name">The system proc's name.</param>
/// <param name="Processor">The processor (a DLL path, or "inline").</param>
/// <param name="Executions">Batches processed and ack-committed.</param>
/// <param name="Errors">Batches reclaimed after a failure.</param>
/// <param name="WorkerCrashes">Workers that died while running one of its batches.</param>
/// <param name="AverageLatency">Mean time from claim to ack.</param>
/// <param name="DisabledReason">Why it was disabled by supervision, or null.</param>
public sealed record SystemProcStats(string Name, string Processor, long Executions, long Errors, int WorkerCrashes, TimeSpan AverageLatency, string? DisabledReason);
