namespace Engine;

/// <summary>Garbage collector settings; <see cref="LogEngineOptions.Gc"/> null turns the collector off.</summary>
public sealed record GcOptions
{
    /// <summary>Records younger than this are never pruned.</summary>
    public TimeSpan MinPruneTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the collector runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
}
