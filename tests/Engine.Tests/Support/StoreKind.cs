namespace Engine.Tests.Support;

/// <summary>
/// Runs a test over every way to reach a store: the engine on disk, the engine in memory, and a
/// <see cref="Engine.Ipc.LogClient"/> talking to a host over a socket. The same tests, the same
/// expected results and error codes. Tests that need the engine itself (recovery reports,
/// internals) use <see cref="Engines"/> or <see cref="Disk"/>.
/// </summary>
public sealed class StoreKind
{
    private readonly Func<TempDirectory, LogEngineOptions, ILogClient> _open;

    private StoreKind(string name, Func<TempDirectory, LogEngineOptions, ILogClient> open)
    {
        Name = name;
        _open = open;
    }

    public string Name { get; }

    public static readonly StoreKind Disk = new("disk", (dir, options) => LogEngine.Open(dir.Path, options));
    public static readonly StoreKind Memory = new("memory", (_, options) => LogEngine.OpenInMemory(options));
    public static readonly StoreKind Ipc = new("ipc", (dir, options) => HostedClient.Start(dir.Path, options));

    /// <summary>Every kind: disk, memory and over IPC.</summary>
    public static TheoryData<string> All => new() { "disk", "memory", "ipc" };

    /// <summary>The in-process engine only.</summary>
    public static TheoryData<string> Engines => new() { "disk", "memory" };

    public static StoreKind Named(string name) => name switch
    {
        "disk" => Disk,
        "memory" => Memory,
        "ipc" => Ipc,
        _ => throw new ArgumentException($"no store kind '{name}'", nameof(name)),
    };

    /// <summary>Whether the store survives closing (so reopen tests apply).</summary>
    public bool IsPersistent => this != Memory;

    public ILogClient Open(TempDirectory directory, LogEngineOptions? options = null) => _open(directory, options ?? new LogEngineOptions());

    /// <summary>The engine itself, for tests of engine-only features.</summary>
    public LogEngine OpenEngine(TempDirectory directory, LogEngineOptions? options = null) =>
        this == Ipc ? throw new InvalidOperationException("the ipc kind has no engine in reach") : (LogEngine)Open(directory, options);

    public override string ToString() => Name;
}
