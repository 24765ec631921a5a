using Microsoft.Extensions.Logging;

namespace Engine.Workers;

/// <summary>
/// The worker runtime's log lines, source-generated, with event ids 3000-3099 (3000s: workers,
/// 3020s: system procs, 3040s: the processors directory). A busy system proc logs per batch only
/// when something fails, and then formats nothing unless the level is on.
/// </summary>
internal static partial class WorkersLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Worker {Worker} could not start")]
    public static partial void WorkerCouldNotStart(this ILogger logger, Exception error, int worker);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "worker {Worker}: {Line}")]
    public static partial void WorkerStandardError(this ILogger logger, int worker, string line);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Worker {Worker} (process {Process}) is ready")]
    public static partial void WorkerReady(this ILogger logger, int worker, int process);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Worker {Worker} (process {Process}) is gone: {Reason}")]
    public static partial void WorkerGone(this ILogger logger, int worker, int process, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Killing worker {Worker} (process {Process}): {Reason}")]
    public static partial void KillingWorker(this ILogger logger, int worker, int process, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Worker {Worker} ran {Executions} batches; replacing it")]
    public static partial void RecyclingWorker(this ILogger logger, int worker, long executions);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Worker {Worker}: {Executions} batches, {Errors} errors, {Restarts} restarts, average {Latency}")]
    public static partial void WorkerFigures(this ILogger logger, int worker, long executions, long errors, int restarts, TimeSpan latency);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "A spare worker could not start")]
    public static partial void SpareCouldNotStart(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "spare worker (process {Process}): {Line}")]
    public static partial void SpareStandardError(this ILogger logger, int process, string line);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Spare worker (process {Process}) is ready")]
    public static partial void SpareReady(this ILogger logger, int process);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Spare worker (process {Process}) is gone: {Reason}")]
    public static partial void SpareGone(this ILogger logger, int process, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Worker {Worker} is now the spare process {Process}")]
    public static partial void SparePromoted(this ILogger logger, int worker, int process);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "System proc {Name} runs {Processor} over {From}")]
    public static partial void SystemProcRuns(this ILogger logger, string name, string? processor, string from);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Error, Message = "Disabling system proc {Name}: {Reason}")]
    public static partial void DisablingSystemProc(this ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Information, Message = "System proc {Name}: {Executions} batches, {Errors} errors, {Crashes} worker crashes, average {Latency}")]
    public static partial void SystemProcFigures(this ILogger logger, string name, long executions, long errors, int crashes, TimeSpan latency);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Debug, Message = "System proc {Proc}: {Reason}")]
    public static partial void SystemProcSkipped(this ILogger logger, string proc, string reason);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "System proc {Proc}: a claim finished after it was reclaimed ({Reason})")]
    public static partial void ClaimFinishedAfterReclaim(this ILogger logger, string proc, string reason);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Warning, Message = "System proc {Proc}: claim from {First} failed: {Error}")]
    public static partial void ClaimFailed(this ILogger logger, string proc, string first, string? error);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Warning, Message = "System proc {Proc}: batch {Batch} ran past {Timeout}; cancelling its processor")]
    public static partial void BatchOverran(this ILogger logger, string proc, long batch, TimeSpan timeout);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Error, Message = "Processor DLL {Path} could not be loaded: {Reason}")]
    public static partial void ProcessorDllNotLoaded(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Registered system proc {Name} from {Path}")]
    public static partial void DropInRegistered(this ILogger logger, string name, string path);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Error, Message = "System proc {Name} from {Path} was not registered: {Reason}")]
    public static partial void DropInNotRegistered(this ILogger logger, string name, string path, string reason);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Information, Message = "Removed system proc {Name}: {Path} no longer offers it")]
    public static partial void DropInRemoved(this ILogger logger, string name, string path);
}
