using System.Text.Json;
using Engine.Storage;

namespace Engine;

/// <summary>
/// The engine in-process: a store on disk (<see cref="Open"/>) or in memory
/// (<see cref="OpenInMemory"/>) behind the <see cref="ILogClient"/> API.
/// </summary>
public sealed partial class LogEngine : ILogClient, ILiveProcBackend
{
    private readonly Store _store;
    private readonly Procs.ProcService _procs;
    private readonly SystemProcs.InlineSystemProcs _inline;

    private LogEngine(Store store)
    {
        _store = store;
        _procs = new Procs.ProcService(store);
        _inline = new SystemProcs.InlineSystemProcs(this, this, store.Options.LoggerFactory);
    }

    /// <summary>
    /// Opens (creating if missing) the store in <paramref name="path"/>, recovering it if it was not
    /// closed cleanly. Fails with <see cref="LogEngineError.Locked"/> if another engine holds it.
    /// </summary>
    public static LogEngine Open(string path, LogEngineOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new LogEngineException(LogEngineError.InvalidArgument, "the store path is empty");
        var medium = Guard.Run(() => FileMedium.Open(path), $"opening the store '{path}'");
        return new LogEngine(Guard.Run(() => Store.Open(medium, options ?? new LogEngineOptions()), $"opening the store '{path}'"));
    }

    /// <summary>A store in memory, with the same semantics and no disk access.</summary>
    public static LogEngine OpenInMemory(LogEngineOptions? options = null) =>
        new(Store.Open(new MemoryMedium(), options ?? new LogEngineOptions()));

    /// <summary>What opening found and did (torn tail cut, indexes rebuilt, log replayed).</summary>
    public RecoveryReport LastRecovery => _store.Recovery;

    internal Store Store => _store;

    /// <inheritdoc />
    public ValueTask<string> CommitAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Store.CommitReceipt receipt;
        try
        {
            receipt = _store.CommitOne(topic, body.Span);
        }
        catch (Exception e) when (Guard.IsStorageFailure(e))
        {
            throw Guard.Wrap(e, "committing");
        }
        var id = receipt.SingleId();
        var durable = _store.WaitDurableAsync(receipt);
        return durable.IsCompletedSuccessfully ? new ValueTask<string>(id) : AfterAsync(durable, id);
    }

    /// <inheritdoc />
    public ValueTask<string> CommitJsonAsync<T>(string topic, T body, CancellationToken ct = default) =>
        CommitAsync(topic, JsonSerializer.SerializeToUtf8Bytes(body), ct);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> CommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Store.ValidateLogs(logs);
        Store.CommitReceipt receipt;
        try
        {
            receipt = _store.Commit(logs);
        }
        catch (Exception e) when (Guard.IsStorageFailure(e))
        {
            throw Guard.Wrap(e, "committing");
        }
        var ids = receipt.Ids();
        var durable = _store.WaitDurableAsync(receipt);
        return durable.IsCompletedSuccessfully ? new ValueTask<IReadOnlyList<string>>(ids) : AfterAsync(durable, ids);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(_store.Range(topic, options, reverse: false));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RevRangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(_store.Range(topic, options, reverse: true));
    }

    /// <inheritdoc />
    public ValueTask<long> LengthAsync(string topic, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(_store.Length(topic));
    }

    /// <summary>
    /// Runs the garbage collector now: prunes what <see cref="LogEngineOptions.Gc"/> allows (its
    /// defaults when the periodic collector is off) and gives the space back to the file system.
    /// </summary>
    public async ValueTask<GcReport> CollectGarbageAsync(CancellationToken ct = default) =>
        await _store.CollectGarbageAsync(ct);

    /// <summary>Closes the store cleanly: a final checkpoint, so the next open replays nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        await _inline.DisposeAsync();
        _store.Dispose();
    }

    private static async ValueTask<T> AfterAsync<T>(ValueTask durable, T result)
    {
        await durable;
        return result;
    }
}
