using Engine.Storage;

namespace Engine;

/// <summary>
/// The public API throws only <see cref="LogEngineException"/>. File system failures get the code
/// a caller can act on: a full disk is <see cref="LogEngineError.DiskFull"/> (free space and try
/// again), any other I/O failure <see cref="LogEngineError.StoreFailed"/> (reopen the store);
/// <see cref="LogEngineError.Internal"/> is left for bugs.
/// </summary>
internal static class Guard
{
    public static bool IsStorageFailure(Exception e) => StorageFault.IsStorageFailure(e);

    public static LogEngineException Wrap(Exception e, string doing) => e switch
    {
        LogEngineException engine => engine,
        _ when StorageFault.IsDiskFull(e) => new(LogEngineError.DiskFull, $"{doing} failed: the disk is full ({e.Message}); nothing of it was written", e),
        _ when StorageFault.IsStorageFailure(e) => new(LogEngineError.StoreFailed, $"{doing} failed: {e.Message}", e),
        _ => new(LogEngineError.Internal, $"{doing} failed: {e.Message}", e),
    };

    public static T Run<T>(Func<T> action, string doing)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (StorageFault.IsStorageFailure(e))
        {
            throw Wrap(e, doing);
        }
    }
}
