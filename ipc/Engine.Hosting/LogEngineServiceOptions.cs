using Microsoft.Extensions.Logging;

namespace Engine.Hosting;

/// <summary>
/// The engine's options in a form configuration can bind (<c>"Engine": { "Path": "data", ... }</c>):
/// settable properties, defaults taken from <see cref="LogEngineOptions"/>. Validated when the app
/// starts; a bad value stops the start with a message naming the option.
/// </summary>
public class LogEngineServiceOptions
{
    private static readonly LogEngineOptions Defaults = new();

    /// <summary>The store's directory (created if missing). Required unless <see cref="InMemory"/>.</summary>
    public string? Path { get; set; }

    /// <summary>Keep the store in memory: nothing touches disk.</summary>
    public bool InMemory { get; set; }

    /// <summary>See <see cref="LogEngineOptions.Durability"/>.</summary>
    public Durability Durability { get; set; } = Defaults.Durability;

    /// <summary>See <see cref="LogEngineOptions.FlushInterval"/>.</summary>
    public TimeSpan FlushInterval { get; set; } = Defaults.FlushInterval;

    /// <summary>See <see cref="LogEngineOptions.SegmentSize"/>.</summary>
    public long SegmentSize { get; set; } = Defaults.SegmentSize;

    /// <summary>See <see cref="LogEngineOptions.Workers"/>.</summary>
    public int Workers { get; set; } = Defaults.Workers;

    /// <summary>See <see cref="LogEngineOptions.WorkerConcurrency"/>.</summary>
    public int WorkerConcurrency { get; set; } = Defaults.WorkerConcurrency;

    /// <summary>See <see cref="LogEngineOptions.WorkerRestartAfter"/>.</summary>
    public int WorkerRestartAfter { get; set; } = Defaults.WorkerRestartAfter;

    /// <summary>See <see cref="LogEngineOptions.SpareWorkers"/>.</summary>
    public int SpareWorkers { get; set; } = Defaults.SpareWorkers;

    /// <summary>See <see cref="LogEngineOptions.ProcessorsDirectory"/>.</summary>
    public string? ProcessorsDirectory { get; set; }

    /// <summary>Turns the GC on, keeping records at least this long (<see cref="GcOptions.MinPruneTime"/>); null = GC off.</summary>
    public TimeSpan? GcMinPruneTime { get; set; }

    /// <summary>How often the GC runs when it is on (<see cref="GcOptions.Interval"/>); null = its default.</summary>
    public TimeSpan? GcInterval { get; set; }

    /// <summary>See <see cref="LogEngineOptions.MaxRangeBytes"/>.</summary>
    public long MaxRangeBytes { get; set; } = Defaults.MaxRangeBytes;

    /// <summary>The engine's options from these, logging to <paramref name="loggers"/>.</summary>
    public LogEngineOptions ToEngineOptions(ILoggerFactory? loggers = null) => new()
    {
        Durability = Durability,
        FlushInterval = FlushInterval,
        SegmentSize = SegmentSize,
        Workers = Workers,
        WorkerConcurrency = WorkerConcurrency,
        WorkerRestartAfter = WorkerRestartAfter,
        SpareWorkers = SpareWorkers,
        ProcessorsDirectory = ProcessorsDirectory,
        Gc = GcMinPruneTime is { } minPrune
            ? new GcOptions { MinPruneTime = minPrune, Interval = GcInterval ?? new GcOptions().Interval }
            : null,
        MaxRangeBytes = MaxRangeBytes,
        LoggerFactory = loggers,
    };
}
