namespace Engine;

/// <summary>
/// Marks an <see cref="IProcessor"/> in a DLL dropped into <c>LogEngineOptions.ProcessorsDirectory</c>:
/// the engine registers a system proc for it with these settings, with no code in the host.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SystemProcAttribute(string name) : Attribute
{
    /// <summary>The system proc's name.</summary>
    public string Name { get; } = name;

    /// <summary>The topics to read (at least one).</summary>
    public string[] From { get; init; } = [];

    /// <summary>The topics each returned body is committed to.</summary>
    public string[] To { get; init; } = [];

    /// <summary>The offset of its procs.</summary>
    public string Offset { get; init; } = ">";

    /// <summary>Records per batch.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Reclaims without an ack before the strategy applies; -1 for no limit.</summary>
    public int MaxReclaims { get; init; } = 10;

    /// <summary>How long a batch may run, in milliseconds.</summary>
    public int ReclaimTimeoutMs { get; init; } = 10_000;

    /// <summary>What happens when <see cref="MaxReclaims"/> is reached.</summary>
    public OnMaxReclaims OnMaxReclaimsReached { get; init; } = OnMaxReclaims.Disable;

    /// <summary>The dead-letter topic under <see cref="OnMaxReclaims.DeadLetter"/>; null for <c>"&lt;procName&gt;__dead"</c>.</summary>
    public string? DeadLetterTopic { get; init; }
}
