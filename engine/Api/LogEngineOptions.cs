using Microsoft.Extensions.Logging;

namespace Engine;

/// <summary>Options of <see cref="LogEngine.Open"/> and <see cref="LogEngine.OpenInMemory"/>; all optional.</summary>
public sealed record LogEngineOptions
{
    /// <summary>The largest record body accepted: 16 MiB. Larger bodies are <see cref="LogEngineError.InvalidArgument"/>.</summary>
    public const int MaxBodySize = 16 * 1024 * 1024;

    /// <summary>The smallest <see cref="SegmentSize"/> accepted: 1 MiB.</summary>
    public const long MinSegmentSize = 1024 * 1024;

    /// <summary>When commits are forced to disk.</summary>
    public Durability Durability { get; init; } = Durability.Batched;

    /// <summary>The fsync period for <see cref="Durability.Batched"/>.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Bytes per log segment before rolling to a new one (at least 1 MiB).</summary>
    public long SegmentSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Garbage collection; null turns it off.</summary>
    public GcOptions? Gc { get; init; }

    /// <summary>Worker processes for system procs (0 = none).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Processors one worker runs at once.</summary>
    public int WorkerConcurrency { get; init; } = 1;

    /// <summary>Restart a worker after this many executions (0 = never).</summary>
    public int WorkerRestartAfter { get; init; }

    /// <summary>The folder of processor DLLs; relative processor paths resolve against it.</summary>
    public string? ProcessorsDirectory { get; init; }

    /// <summary>The clock that stamps ids and claims; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where recovery, GC and supervision report what they did.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// When opening finds damage before the tail of the log, truncate there and report what was cut
    /// instead of failing with <see cref="LogEngineError.Corrupted"/>.
    /// </summary>
    public bool RepairCorruption { get; init; }

    /// <summary>
    /// How much log may be written between two checkpoints; opening after a crash replays at most
    /// about this much. Smaller opens faster after a crash, larger checkpoints less often.
    /// </summary>
    public long CheckpointBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The longest time between two checkpoints while anything changes.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);
}
