namespace Engine;

/// <summary>
/// The public API throws only <see cref="LogEngineException"/>: file system failures (disk full,
/// permissions) surface as <see cref="LogEngineError.Internal"/> with what was being done.
/// </summary>
internal static class Guard
{
    public static bool IsStorageFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    public static LogEngineException Wrap(Exception e, string doing) =>
        new(LogEngineError.Internal, $"{doing} failed: {e.Message}", e);

    public static T Run<T>(Func<T> action, string doing)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LogEngineException(LogEngineError.Internal, $"{doing} failed: {e.Message}", e);
        }
    }
}
