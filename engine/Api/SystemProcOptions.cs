namespace Engine;

/// <summary>Options of <see cref="ILogClient.SystemProcAsync"/>: a processor run over <see cref="From"/> topics.</summary>
public sealed record SystemProcOptions
{
    /// <summary>The system proc's name; its procs are named after it.</summary>
    public string Name { get; init; } = "";

    /// <summary>The offset of each proc it creates.</summary>
    public string Offset { get; init; } = ">";

    /// <summary>The topics to read; one proc per topic.</summary>
    public IReadOnlyList<string> From { get; init; } = [];

    /// <summary>The topics each returned body is committed to.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>A processor class in a DLL: <c>"Lib.dll"</c> or <c>"Lib.dll:Namespace.Type"</c>; runs in worker processes.</summary>
    public string? Processor { get; init; }

    /// <summary>A processor delegate run in the calling process.</summary>
    public ProcessorDelegate? InlineProcessor { get; init; }

    /// <summary>Records per batch.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Reclaims without an ack before the strategy applies; -1 for no limit.</summary>
    public int MaxReclaims { get; init; } = 10;

    /// <summary>How long a batch may run before it is reclaimed (and the processor cancelled).</summary>
    public TimeSpan ReclaimTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What happens when <see cref="MaxReclaims"/> is reached.</summary>
    public OnMaxReclaims OnMaxReclaimsReached { get; init; } = OnMaxReclaims.Disable;

    /// <summary>
    /// Where <see cref="OnMaxReclaims.DeadLetter"/> moves a claim that reached the limit; null means
    /// <c>"&lt;procName&gt;__dead"</c>. Fixed when the proc is created, like the other options.
    /// </summary>
    public string? DeadLetterTopic { get; init; }
}
