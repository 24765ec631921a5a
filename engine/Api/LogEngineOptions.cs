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

    /// <summary>
    /// Worker processes started ahead of need: connected and idle, each ready to take the place of a
    /// worker that dies or is recycled (<see cref="WorkerRestartAfter"/>) at once instead of after a
    /// process start, while a new spare starts in the background. 0 = none (a lost worker is then
    /// started again). Ignored when <see cref="Workers"/> is 0.
    /// </summary>
    public int SpareWorkers { get; init; } = 1;

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

    /// <summary>The bytes each record counts for in <see cref="MaxRangeBytes"/> besides its body (its id and entry).</summary>
    public const int RangeRecordOverhead = 64;

    /// <summary>The smallest <see cref="MaxRangeBytes"/> accepted: one largest body and its overhead.</summary>
    public const long MinRangeBytes = MaxBodySize + RangeRecordOverhead;

    /// <summary>
    /// The most memory one <c>RangeAsync</c>/<c>RevRangeAsync</c> answer may take, counting each
    /// record as its body plus <see cref="RangeRecordOverhead"/> bytes. A call whose answer would be
    /// larger fails with <see cref="LogEngineError.InvalidArgument"/> before it grows past this
    /// (nothing is truncated silently): read such a range in pages, with <c>Limit</c> and <c>Start</c>.
    /// The default, 32 MiB, also keeps an answer within one IPC frame (64 MiB by default).
    /// </summary>
    public long MaxRangeBytes
    {
        get => _maxRangeBytes;
        init => _maxRangeBytes = value >= MinRangeBytes
            ? value
            : throw new LogEngineException(LogEngineError.InvalidArgument, $"MaxRangeBytes must be at least {MinRangeBytes} bytes (one largest body)");
    }

    private readonly long _maxRangeBytes = 32L * 1024 * 1024;
}
