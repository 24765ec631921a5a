using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using Engine.Telemetry;
using Microsoft.Extensions.Logging;

namespace Engine.Ipc.Server;

/// <summary>
/// Accepts connections for one engine and serves them. A reaper closes connections that have been
/// silent past the idle timeout (clients send heartbeats), so half-open connections left by a
/// dead client do not pile up. <see cref="StopAsync"/> is the graceful path: stop accepting, end
/// waits, let requests in progress finish (within the drain timeout), then close connections.
/// </summary>
internal sealed class HostServer : IAsyncDisposable
{
    private readonly HostServerOptions _options;
    private readonly IRequestHandler _dispatcher;
    private readonly ILogger _logger;
    private readonly Socket _listener;
    private readonly ConcurrentDictionary<ServerConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Task _reaper;

    private HostServer(HostServerOptions options, IRequestHandler dispatcher, ILogger logger, Socket listener)
    {
        _options = options;
        _dispatcher = dispatcher;
        _logger = logger;
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _reaper = Task.Run(ReapLoopAsync);
    }

    public string Address => _options.Endpoint.Display;

    public int ConnectionCount => _connections.Count;

    /// <summary>For tests: told whenever a connection is added or dropped.</summary>
    internal event Action? ConnectionsChanged;

    public static async Task<HostServer> StartAsync(HostServerOptions options, IRequestHandler dispatcher, ILogger logger)
    {
        var listener = await Transport.Listener.BindAsync(options.Endpoint, logger);
        return new HostServer(options, dispatcher, logger, listener);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var peer = socket.RemoteEndPoint?.ToString() is { Length: > 0 } remote ? remote : "local client";
        if (socket.ProtocolType == ProtocolType.Tcp) socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (_options.Tls.IsEnabled) stream = await AuthenticateAsync(stream);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            _logger.TlsHandshakeFailed(peer, e.Message);
            await stream.DisposeAsync();
            return;
        }
        var connection = new ServerConnection(stream, _options, _dispatcher, _logger, peer);
        var run = connection.RunAsync();
        _connections[connection] = run;
        EngineMetrics.IpcConnections.Add(1);
        ConnectionsChanged?.Invoke();
        try
        {
            await run;
        }
        finally
        {
            EngineMetrics.IpcConnections.Add(-1);
            _connections.TryRemove(connection, out _);
            ConnectionsChanged?.Invoke();
            await connection.DisposeAsync();
        }
    }

    private async Task<Stream> AuthenticateAsync(Stream stream)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _options.Tls.LoadCertificate(),
            ClientCertificateRequired = _options.Tls.CaPath is not null,
            RemoteCertificateValidationCallback = _options.Tls.CaPath is null ? null : _options.Tls.Validator(),
        }, timeout.Token);
        return ssl;
    }

    /// <summary>For tests: told after each look for silent connections.</summary>
    internal event Action? Swept;

    private async Task ReapLoopAsync()
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(50, _options.IdleTimeout.TotalMilliseconds / 4));
        using var timer = new PeriodicTimer(period, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var connection in _connections.Keys)
                {
                    if (connection.SilentForMs > _options.IdleTimeout.TotalMilliseconds)
                        connection.Abort($"silent for {connection.SilentForMs} ms: no request and no heartbeat");
                }
                Swept?.Invoke();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops accepting, ends waits, lets requests in progress finish (bounded), then closes every connection.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        _listener.Dispose();
        if (_options.Endpoint.SocketPath is { } path) File.Delete(path);
        await _acceptLoop;
        await _reaper;
        foreach (var connection in _connections.Keys) connection.CancelWaits();
        var drained = Task.Run(async () =>
        {
            while (_connections.Keys.Any(c => c.PendingRequests > 0)) await Task.Delay(5);
        });
        await Task.WhenAny(drained, Task.Delay(_options.DrainTimeout));
    }

    /// <summary>Closes every connection (after the engine has been closed, so clients see the store released).</summary>
    public async Task CloseConnectionsAsync()
    {
        foreach (var connection in _connections.Keys) connection.Abort("the host has shut down");
        await Task.WhenAll(_connections.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await CloseConnectionsAsync();
        _stopping.Dispose();
    }
}
