namespace Engine.Ipc;

/// <summary>
/// What <see cref="LogClient.SpawnAsync"/> starts: a host process with these engine options,
/// listening on its namespace's socket (or <see cref="Socket"/>).
/// </summary>
public sealed record SpawnOptions
{
    /// <summary>The engine's own defaults, so a spawned host defaults exactly as an embedded engine does.</summary>
    private static readonly LogEngineOptions EngineDefaults = new();

    /// <summary>The host's namespace (one host per namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary>The store's directory (ignored when <see cref="Memory"/>).</summary>
    public string? Location { get; init; }

    /// <summary>Keep the store in memory.</summary>
    public bool Memory { get; init; }

    /// <summary>An explicit address: <c>unix:///path</c> or <c>tcp://127.0.0.1:9999</c>.</summary>
    public string? Socket { get; init; }

    /// <summary>A shared secret every client must present.</summary>
    public string? Token { get; init; }

    /// <inheritdoc cref="LogEngineOptions.Durability"/>
    public Durability Durability { get; init; } = EngineDefaults.Durability;

    /// <inheritdoc cref="LogEngineOptions.FlushInterval"/>
    public TimeSpan FlushInterval { get; init; } = EngineDefaults.FlushInterval;

    /// <inheritdoc cref="LogEngineOptions.SegmentSize"/>
    public long SegmentSize { get; init; } = EngineDefaults.SegmentSize;

    /// <inheritdoc cref="LogEngineOptions.Gc"/>
    public GcOptions? Gc { get; init; }

    /// <inheritdoc cref="LogEngineOptions.Workers"/>
    public int Workers { get; init; } = EngineDefaults.Workers;

    /// <inheritdoc cref="LogEngineOptions.WorkerConcurrency"/>
    public int WorkerConcurrency { get; init; } = EngineDefaults.WorkerConcurrency;

    /// <inheritdoc cref="LogEngineOptions.WorkerRestartAfter"/>
    public int WorkerRestartAfter { get; init; } = EngineDefaults.WorkerRestartAfter;

    /// <inheritdoc cref="LogEngineOptions.SpareWorkers"/>
    public int SpareWorkers { get; init; } = EngineDefaults.SpareWorkers;

    /// <inheritdoc cref="LogEngineOptions.ProcessorsDirectory"/>
    public string? ProcessorsDirectory { get; init; }

    /// <summary>For <c>tcp://</c>: the host's TLS certificate (PEM); TLS is on when this is set.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The key (PEM) of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>The CA (PEM) the spawner's client uses to trust the host's certificate.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>The host (<c>Engine.Host.dll</c>, the <c>engine</c> command); by default the one beside this assembly.</summary>
    public string? HostPath { get; init; }

    /// <summary>How long the host may take to start accepting connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop the host when the process that spawned it exits (its stdin closes).</summary>
    public bool ExitWithSpawner { get; init; } = true;

    /// <summary>Heartbeat period of the spawner's connection; hosts reap connections silent for three of these.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The command-line arguments of <c>engine serve</c> that reproduce these options, all but
    /// <see cref="Token"/>: a command line is visible to every user of the machine, so the token
    /// goes to the host in its environment (<c>ENGINE_TOKEN</c>), which only its user can read.
    /// </summary>
    public IReadOnlyList<string> ToServeArguments()
    {
        var args = new List<string> { "serve" };
        void Add(string name, string? value)
        {
            if (value is null) return;
            args.Add(name);
            args.Add(value);
        }
        Add("--namespace", Namespace);
        Add("--path", Memory ? null : Location);
        if (Memory) args.Add("--memory");
        Add("--socket", Socket);
        Add("--durability", Durability.ToString());
        Add("--flush-interval-ms", ((long)FlushInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--segment-size", SegmentSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Gc is { } gc)
        {
            Add("--gc-min-prune-ms", ((long)gc.MinPruneTime.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("--gc-interval-ms", ((long)gc.Interval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Add("--workers", Workers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--worker-concurrency", WorkerConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--worker-restart-after", WorkerRestartAfter.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--spare-workers", SpareWorkers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--processors", ProcessorsDirectory);
        Add("--tls-cert", TlsCertificateFile);
        Add("--tls-key", TlsKeyFile);
        if (ExitWithSpawner) args.Add("--exit-with-parent");
        return args;
    }
}
