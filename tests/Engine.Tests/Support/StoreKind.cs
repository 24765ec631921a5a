namespace Engine.Tests.Support;

/// <summary>
/// Runs a test over every storage variant: files on disk and memory. Tests that only make sense
/// on disk (restart, crash, lock) use <see cref="TempDirectory"/> directly.
/// </summary>
public sealed class StoreKind
{
    private StoreKind(string name, Func<TempDirectory, LogEngineOptions, LogEngine> open)
    {
        Name = name;
        _open = open;
    }

    private readonly Func<TempDirectory, LogEngineOptions, LogEngine> _open;

    public string Name { get; }

    public static readonly StoreKind Disk = new("disk", (dir, options) => LogEngine.Open(dir.Path, options));
    public static readonly StoreKind Memory = new("memory", (_, options) => LogEngine.OpenInMemory(options));

    public static TheoryData<string> All => new() { "disk", "memory" };

    public static StoreKind Named(string name) => name == "disk" ? Disk : Memory;

    public LogEngine Open(TempDirectory directory, LogEngineOptions? options = null) => _open(directory, options ?? new LogEngineOptions());

    public override string ToString() => Name;
}
