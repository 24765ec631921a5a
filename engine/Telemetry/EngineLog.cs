using Microsoft.Extensions.Logging;

namespace Engine.Telemetry;

/// <summary>
/// The engine's log lines, source-generated: each has an event id (1000-1999, grouped by area) so
/// an operator can filter or alert on one, and none formats its message unless its level is on.
/// The texts are what tests and operators search for; change them deliberately.
/// </summary>
internal static partial class EngineLog
{
    // 1000-1009: the store
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Opened store: replayed {Frames} frames ({Bytes} bytes) in {Elapsed}; clean shutdown: {Clean}")]
    public static partial void StoreOpened(this ILogger logger, long frames, long bytes, TimeSpan elapsed, bool clean);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Final checkpoint failed; the next open replays the log instead")]
    public static partial void FinalCheckpointFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Problem}; rebuilding the index of topic {Topic} from the log")]
    public static partial void IndexDamagedRebuilding(this ILogger logger, string problem, string topic);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Critical, Message = "{Doing} failed; the store refuses writes until it is reopened")]
    public static partial void StoreRefusesWrites(this ILogger logger, Exception cause, string doing);

    // 1010-1029: recovery and repair
    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Index of topic {Topic} is missing or damaged; rebuilding it from the log")]
    public static partial void IndexMissingRebuilding(this ILogger logger, string topic);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Torn tail: cutting the log at {File} byte {Offset} ({Problem}); nothing after it was durable")]
    public static partial void TornTail(this ILogger logger, string file, long offset, string? problem);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Finishing the deletion of {Segment}, which the GC had retired")]
    public static partial void FinishingRetiredDeletion(this ILogger logger, string segment);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Repair: dropped {Count} segments from {Segment} on")]
    public static partial void SegmentsDropped(this ILogger logger, int count, string segment);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "Repair: {File} byte {Offset}: {Problem}")]
    public static partial void Repaired(this ILogger logger, string file, long offset, string problem);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Repair: cutting the log at {File} byte {Offset}: {Problem}")]
    public static partial void RepairCut(this ILogger logger, string file, long offset, string problem);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "Discarded segment {Segment}, which lay past the end of the log")]
    public static partial void SegmentDiscarded(this ILogger logger, string segment);

    // 1030-1039: checkpoints
    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Checkpoint slot {Slot} is unusable ({Problem}); the other slot is used")]
    public static partial void CheckpointSlotUnusable(this ILogger logger, int slot, string? problem);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Error, Message = "Checkpoint failed; the next one will try again (opening replays more log meanwhile)")]
    public static partial void CheckpointFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Error, Message = "The checkpoint loop ended with an error")]
    public static partial void CheckpointLoopEnded(this ILogger logger, Exception error);

    // 1040-1049: GC
    [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "GC pruned {Records} records, relocated {Relocated}, deleted {Segments} segments and {Chunks} index chunks, freed {Bytes} bytes in {Elapsed}")]
    public static partial void GcRan(this ILogger logger, long records, long relocated, int segments, int chunks, long bytes, TimeSpan elapsed);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Error, Message = "GC run failed; the next one will try again")]
    public static partial void GcFailed(this ILogger logger, Exception error);

    // 1050-1059: system procs
    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "{Count} DLL system procs cannot run: {Reason}")]
    public static partial void DllSystemProcsCannotRun(this ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "System proc {Proc} stops: {Reason}")]
    public static partial void InlineSystemProcStops(this ILogger logger, string proc, string reason);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Warning, Message = "Processor of {Proc} failed on {Range}; reclaiming")]
    public static partial void InlineProcessorFailed(this ILogger logger, Exception error, string proc, string range);
}
