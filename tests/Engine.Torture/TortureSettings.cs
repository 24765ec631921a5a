namespace Engine.Torture;

/// <summary>Which durability the cycles run under; <see cref="Both"/> alternates cycle by cycle.</summary>
public enum DurabilityMode
{
    Always,
    Batched,
    Both,
}

/// <summary>One torture run.</summary>
public sealed record TortureSettings
{
    public required int Cycles { get; init; }

    /// <summary>The folder the stores live in (created; each store generation is made anew in it).</summary>
    public required string Path { get; init; }

    public int Seed { get; init; } = 1;

    public DurabilityMode Durability { get; init; } = DurabilityMode.Both;

    /// <summary>
    /// Kills one store lives through before the next starts empty: every cycle rereads the whole
    /// store, so this bounds a cycle's time while each store still grows, rolls and is collected.
    /// </summary>
    public int CyclesPerStore { get; init; } = 20;

    /// <summary>The kill comes this long after READY at most (uniformly drawn from the seed).</summary>
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromMilliseconds(1500);

    public Durability DurabilityOf(int cycle) => Durability switch
    {
        DurabilityMode.Always => Engine.Durability.Always,
        DurabilityMode.Batched => Engine.Durability.Batched,
        _ => cycle % 2 == 0 ? Engine.Durability.Always : Engine.Durability.Batched,
    };
}
