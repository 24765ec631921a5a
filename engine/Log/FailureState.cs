using Engine.Storage;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Log;

/// <summary>
/// Whether the store may still write: the one place that knows. Any write or fsync that fails
/// half-way, wherever it happens (a commit, the flusher thread, a checkpoint's sync, the GC's
/// relocation), poisons the store for writes. After a failed fsync the page cache can no longer
/// be trusted to hold what it claims (Linux drops the dirty pages and clears the error: see
/// "fsyncgate"), and after a frame failed half-way the in-memory state may be ahead of the log;
/// so nothing pretends: every later write gets <see cref="LogEngineError.StoreFailed"/> naming
/// the first failure, and reopening recovers from what is on disk. Reads of acknowledged data go
/// on. A full disk met before anything was written is not a failure of the store: the call gets
/// <see cref="LogEngineError.DiskFull"/> and the store stays writable.
/// </summary>
internal sealed class FailureState(ILogger logger)
{
    private Failure? _failure;

    /// <summary>Raised once, when the store is first poisoned (for health checks and tests).</summary>
    public event Action<Exception>? Failed;

    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>The first failure, if any.</summary>
    public Exception? Cause => Volatile.Read(ref _failure)?.Cause;

    /// <summary>Poisons the store for writes (the first cause is kept) and returns the exception for the failing call.</summary>
    public LogEngineException Fail(string doing, Exception cause)
    {
        var failure = new Failure(doing, cause);
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            logger.StoreRefusesWrites(cause, doing);
            Failed?.Invoke(cause);
        }
        var code = StorageFault.IsStorageFailure(cause) ? LogEngineError.StoreFailed : LogEngineError.Internal;
        return new LogEngineException(code, $"{doing} failed ({cause.Message}); the store refuses writes until it is reopened", cause);
    }

    /// <summary>Throws <see cref="LogEngineError.StoreFailed"/> once the store has been poisoned.</summary>
    public void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
            throw new LogEngineException(LogEngineError.StoreFailed,
                $"the store refuses writes since {failure.Doing} failed ({failure.Cause.Message}); reopen it to recover from the log", failure.Cause);
    }

    private sealed record Failure(string Doing, Exception Cause);
}
