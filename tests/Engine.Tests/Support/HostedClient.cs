using Engine.Ipc;
using Engine.Ipc.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine.Tests.Support;

/// <summary>
/// The "ipc" store kind: a host started in this process on a socket of its own (so the engine
/// options, fake clock included, are the test's), and a <see cref="LogClient"/> connected to it.
/// Every call crosses a real socket and the wire protocol. Disposing closes the client and the
/// host, so the store can be opened again.
/// </summary>
public sealed class HostedClient : ILogClient
{
    private readonly EngineHost _host;

    private HostedClient(EngineHost host, LogClient client)
    {
        _host = host;
        Client = client;
    }

    public LogClient Client { get; }

    /// <summary>The host in this process that the client talks to.</summary>
    internal EngineHost Host => _host;

    internal static HostedClient Start(string path, LogEngineOptions options)
    {
        var socket = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "engine-tests", $"{Guid.NewGuid():N}.sock");
        var host = EngineHost.StartAsync(new EngineHostOptions { Path = path, Socket = "unix://" + socket, Engine = options }, NullLogger.Instance)
            .GetAwaiter().GetResult();
        var client = LogClient.ConnectAsync(new ConnectOptions { Socket = "unix://" + socket, Timeout = TimeSpan.FromSeconds(10) })
            .AsTask().GetAwaiter().GetResult();
        return new HostedClient(host, client);
    }

    public ValueTask<string> CommitAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct = default) => Client.CommitAsync(topic, body, ct);

    public ValueTask<string> CommitJsonAsync<T>(string topic, T body, CancellationToken ct = default) => Client.CommitJsonAsync(topic, body, ct);

    public ValueTask<IReadOnlyList<string>> CommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default) => Client.CommitAsync(logs, ct);

    public ValueTask<IReadOnlyList<LogEntry>> RangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default) => Client.RangeAsync(topic, options, ct);

    public ValueTask<IReadOnlyList<LogEntry>> RevRangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default) => Client.RevRangeAsync(topic, options, ct);

    public ValueTask<long> LengthAsync(string topic, CancellationToken ct = default) => Client.LengthAsync(topic, ct);

    public ValueTask<IReadOnlyList<LogEntry>> ProcAsync(string topic, ProcOptions options, CancellationToken ct = default) => Client.ProcAsync(topic, options, ct);

    public ValueTask<string> AckAsync(string procName, CancellationToken ct = default) => Client.AckAsync(procName, ct);

    public ValueTask<AckAndProcResult> AckAndProcAsync(string topic, ProcOptions options, CancellationToken ct = default) =>
        Client.AckAndProcAsync(topic, options, ct);

    public ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct = default) => Client.AckCommitAsync(procName, logs, ct);

    public ValueTask<string> ReclaimProcAsync(string procName, CancellationToken ct = default) => Client.ReclaimProcAsync(procName, ct);

    public ValueTask<ProcState> InspectProcAsync(string procName, CancellationToken ct = default) => Client.InspectProcAsync(procName, ct);

    public ValueTask<ProcState> DestroyProcAsync(string procName, CancellationToken ct = default) => Client.DestroyProcAsync(procName, ct);

    public ValueTask<ProcState> DisableProcAsync(string procName, CancellationToken ct = default) => Client.DisableProcAsync(procName, ct);

    public ValueTask<ProcState> ResumeProcAsync(string procName, CancellationToken ct = default) => Client.ResumeProcAsync(procName, ct);

    public ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default) => Client.SystemProcAsync(options, ct);

    public LiveProc LiveProc(string topic, LiveMode mode = LiveMode.All, int count = 1) => Client.LiveProc(topic, mode, count);

    public ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames = null, CancellationToken ct = default) => Client.WaitForProcsAsync(procNames, ct);

    public ValueTask<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken ct = default) => Client.ListTopicsAsync(ct);

    public ValueTask<IReadOnlyList<ProcInfo>> ListProcsAsync(CancellationToken ct = default) => Client.ListProcsAsync(ct);

    public ValueTask<ProcInfo> ProcInfoAsync(string procName, CancellationToken ct = default) => Client.ProcInfoAsync(procName, ct);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _host.DisposeAsync();
    }
}
