using Engine.Log;

namespace Engine;

/// <summary>Checks <see cref="LogEngineOptions"/> before anything is opened: bad options are <see cref="LogEngineError.InvalidArgument"/>.</summary>
internal static class StoreOptions
{
    public static void Validate(LogEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static LogEngineException Invalid(string message) => new(LogEngineError.InvalidArgument, message);
        if (options.SegmentSize < LogEngineOptions.MinSegmentSize || options.SegmentSize > SegmentHeader.MaxCapacity)
            throw Invalid($"SegmentSize must be between {LogEngineOptions.MinSegmentSize} and {SegmentHeader.MaxCapacity} bytes");
        if (options.FlushInterval < TimeSpan.Zero) throw Invalid("FlushInterval cannot be negative");
        if (!Enum.IsDefined(options.Durability)) throw Invalid($"unknown Durability {options.Durability}");
        if (options.CheckpointBytes <= 0) throw Invalid("CheckpointBytes must be positive");
        if (options.CheckpointInterval <= TimeSpan.Zero) throw Invalid("CheckpointInterval must be positive");
        if (options.Workers < 0 || options.WorkerConcurrency < 1 || options.WorkerRestartAfter < 0 || options.SpareWorkers < 0)
            throw Invalid("Workers, WorkerRestartAfter and SpareWorkers cannot be negative, WorkerConcurrency must be at least 1");
        if (options.Gc is { } gc && (gc.MinPruneTime < TimeSpan.Zero || gc.Interval <= TimeSpan.Zero))
            throw Invalid("Gc.MinPruneTime cannot be negative and Gc.Interval must be positive");
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
    }
}
