using Engine.Ipc.Client;
using Engine.Ipc.Protocol;
using Engine.Ipc.Transport;
using Engine.Topics;

namespace Engine.Ipc;

/// <summary>
/// The engine in another process: the same <see cref="ILogClient"/> API, semantics and error codes
/// as <see cref="LogEngine"/>, over a local socket to a host (<c>engine serve</c>, or one started by
/// <see cref="SpawnAsync"/>). Calls may be made concurrently; they share one pipelined connection.
/// </summary>
public sealed partial class LogClient : ILogClient, ILiveProcBackend
{
    private readonly ClientConnection _connection;
    private readonly SpawnedHost? _host;
    private readonly SystemProcs.InlineSystemProcs _inline;
    private int _disposed;

    private LogClient(ClientConnection connection, SpawnedHost? host)
    {
        _connection = connection;
        _host = host;
        _inline = new SystemProcs.InlineSystemProcs(this, this, null);
    }

    /// <summary>The address this client is connected to.</summary>
    public string Address => _connection.Display;

    /// <summary>The id of the host process <see cref="SpawnAsync"/> started; null for a client from <see cref="ConnectAsync"/>.</summary>
    internal int? HostProcessId => _host?.ProcessId;

    /// <summary>Connects to a running host within <see cref="ConnectOptions.Timeout"/>, or fails with <see cref="LogEngineError.ConnectionFailed"/>.</summary>
    public static async ValueTask<LogClient> ConnectAsync(ConnectOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = Endpoint.Resolve(options.Namespace, options.Socket);
        var tls = new TlsSettings(options.TlsCertificateFile, options.TlsKeyFile, options.TlsCaFile);
        var connection = await ClientConnection.OpenAsync(endpoint, tls, options.Token, options.Timeout, options.Heartbeat, options.TimeProvider, ct);
        return new LogClient(connection, null);
    }

    /// <summary>Starts a host process and connects to it once it accepts connections.</summary>
    public static async ValueTask<LogClient> SpawnAsync(SpawnOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = Endpoint.Resolve(options.Namespace, options.Socket);
        var host = await SpawnedHost.StartAsync(options, ct);
        try
        {
            var tls = new TlsSettings(null, null, options.TlsCaFile);
            var connection = await ClientConnection.OpenAsync(endpoint, tls, options.Token, options.StartTimeout, options.Heartbeat, TimeProvider.System, ct);
            return new LogClient(connection, host);
        }
        catch
        {
            host.Kill();
            throw;
        }
    }

    /// <summary>
    /// Stops the host gracefully (it stops accepting, finishes requests in progress, flushes, stops
    /// its workers and releases the store) and returns once it has released the store.
    /// </summary>
    public async ValueTask ShutdownAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // before the request is sent: a cancelled call does nothing
        var frame = _connection.StartRequest(Op.Shutdown, out var id);
        await _connection.CallAsync(frame, id, ct);
        // The host closes connections only after it has closed the engine.
        await _connection.Closed.WaitAsync(ct);
        if (_host is not null) await _host.WaitForExitAsync(ct);
    }

    /// <inheritdoc />
    public async ValueTask<string> CommitAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(Op.Commit, out var id);
        frame.Writer.String(topic);
        frame.Writer.Bytes(body.Span);
        return (await _connection.CallAsync(frame, id, ct)).String();
    }

    /// <inheritdoc />
    public ValueTask<string> CommitJsonAsync<T>(string topic, T body, CancellationToken ct = default) =>
        CommitAsync(topic, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body), ct);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> CommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Engine.Log.CommitLimits.ValidateLogs(logs);
        var frame = _connection.StartRequest(Op.CommitBatch, out var id);
        Codec.Write(frame.Writer, logs);
        return Codec.ReadStrings(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default) =>
        ReadRangeAsync(Op.Range, topic, options, ct);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> RevRangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default) =>
        ReadRangeAsync(Op.RevRange, topic, options, ct);

    private async ValueTask<IReadOnlyList<LogEntry>> ReadRangeAsync(Op op, string topic, RangeOptions? options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(op, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        return Codec.ReadEntries(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<long> LengthAsync(string topic, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(Op.Length, out var id);
        frame.Writer.String(topic);
        return (await _connection.CallAsync(frame, id, ct)).I64();
    }

    /// <summary>Runs the host's garbage collector now.</summary>
    public async ValueTask<GcReport> CollectGarbageAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // before the request is sent: a cancelled call does nothing
        var frame = _connection.StartRequest(Op.CollectGarbage, out var id);
        return Codec.ReadGcReport(await _connection.CallAsync(frame, id, ct));
    }

    /// <summary>Figures of the host's worker processes and system procs.</summary>
    public async ValueTask<EngineStats> GetStatsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // before the request is sent: a cancelled call does nothing
        var frame = _connection.StartRequest(Op.Stats, out var id);
        var stats = Codec.ReadEngineStats(await _connection.CallAsync(frame, id, ct));
        var inline = _inline.Stats().ToList();
        return inline.Count == 0 ? stats : stats with { SystemProcs = [.. stats.SystemProcs, .. inline] };
    }

    /// <summary>Closes this client's connection (the host keeps running).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _inline.DisposeAsync();
        await _connection.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
    }

    private static void ValidateName(string name, string what) => Names.Validate(name, what);
}
