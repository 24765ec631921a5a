
namespace Engine.Tests.Support;

/// <summary>
/// An engine of one <see cref="StoreKind"/> in a directory of its own, on a fake clock that moves
/// only when a test moves it, so ids are predictable. The core and proc test stores build on it.
/// </summary>
internal abstract class FakeClockStore : IAsyncDisposable
{
    private bool _disposed;

    protected FakeClockStore(string kind, long startMs)
    {
        Kind = StoreKind.Named(kind);
        Directory = new TempDirectory();
        Clock = new TimerCountingClock(DateTimeOffset.FromUnixTimeMilliseconds(startMs));
        Engine = Kind.Open(Directory, Options);
    }

    public StoreKind Kind { get; }

    public TempDirectory Directory { get; }

    public TimerCountingClock Clock { get; }

    public ILogClient Engine { get; private set; }

    public LogEngineOptions Options => new() { TimeProvider = Clock };

    /// <summary>Closes the engine, runs <paramref name="whileClosed"/> if given, and opens the same directory again.</summary>
    protected async Task ReopenEngineAsync(Action? whileClosed = null)
    {
        await Engine.DisposeAsync();
        whileClosed?.Invoke();
        Engine = Kind.Open(Directory, Options);
    }

    /// <summary>Ids of entries, in the order given.</summary>
    public static string[] IdsOf(IReadOnlyList<LogEntry> entries) => [.. entries.Select(e => e.Id)];

    /// <summary>Runs <paramref name="act"/> and asserts it throws a <see cref="LogEngineException"/> with <paramref name="code"/>.</summary>
    public static async Task<LogEngineException> ThrowsAsync(LogEngineError code, Func<Task> act)
    {
        var ex = await Assert.ThrowsAsync<LogEngineException>(act);
        Assert.Equal(code, ex.Code);
        return ex;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await Engine.DisposeAsync();
        Directory.Dispose();
    }
}
