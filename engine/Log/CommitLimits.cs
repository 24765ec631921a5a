namespace Engine.Log;

/// <summary>
/// What one call may commit: bodies up to <see cref="LogEngineOptions.MaxBodySize"/>, and all of
/// its records in one frame. Checked before the writer's lock is taken, and by the IPC client
/// before a call crosses the wire, so nothing of a refused call is written or sent.
/// </summary>
internal static class CommitLimits
{
    /// <summary>
    /// Rejects what can be rejected before taking the lock; nothing is written on failure. Topic
    /// names are checked when the commit is planned, once per new topic: known topics were
    /// checked when they were created.
    /// </summary>
    public static void ValidateLogs(IReadOnlyList<CommitLog>? logs, bool allowEmpty = false)
    {
        if (logs is null) throw new LogEngineException(LogEngineError.InvalidArgument, "the list of records is null");
        if (logs.Count == 0 && !allowEmpty) throw new LogEngineException(LogEngineError.InvalidArgument, "the list of records is empty");
        long total = 0;
        for (var i = 0; i < logs.Count; i++)
        {
            var log = logs[i];
            if (log.Topic is null) throw new LogEngineException(LogEngineError.InvalidArgument, "invalid topic name: it is null");
            ValidateBody(log.Body.Length);
            total += RecordEntry.PaddedLength(log.Body.Length);
            if (total > FrameHeader.MaxLength - 64 * 1024)
                throw new LogEngineException(LogEngineError.InvalidArgument, $"one call may commit at most {FrameHeader.MaxLength / (1024 * 1024)} MiB");
        }
    }

    public static void ValidateBody(int length)
    {
        if (length > LogEngineOptions.MaxBodySize)
            throw new LogEngineException(LogEngineError.InvalidArgument, $"a body of {length} bytes is larger than the maximum of {LogEngineOptions.MaxBodySize}");
    }
}
