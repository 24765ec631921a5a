using System.Net.Security;
using System.Net.Sockets;

namespace Engine.Ipc.Transport;

/// <summary>
/// Connects to a host (retrying while it is not there yet, within the time allowed), with TLS when
/// configured. The socket is connected and used with blocking calls only (a
/// <see cref="BlockingStream"/>, read by a <see cref="ReaderThread"/>); the time limit closes it
/// if a blocking call outlasts it. The time limit and the pauses between tries are measured on
/// the clock given (<see cref="ConnectOptions.TimeProvider"/>).
/// </summary>
internal static class Dialer
{
    public static async Task<Stream> ConnectAsync(Endpoint endpoint, TlsSettings tls, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        Exception? last = null;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var socket = endpoint.NewSocket();
            try
            {
                Stream stream;
                using (deadline.Token.Register(socket.Dispose))
                {
                    await Task.Run(() => socket.Connect(endpoint.Address), deadline.Token);
                    stream = new BlockingStream(new NetworkStream(socket, ownsSocket: true));
                    if (tls.IsEnabled) stream = await AuthenticateAsync(stream, endpoint, tls, deadline.Token);
                }
                deadline.Token.ThrowIfCancellationRequested(); // the time limit may have closed the socket just now
                return stream;
            }
            catch (ObjectDisposedException) when (deadline.IsCancellationRequested)
            {
                ct.ThrowIfCancellationRequested();
                break; // closed by the time limit in the middle of a blocking call
            }
            catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
            {
                if (deadline.IsCancellationRequested && !ct.IsCancellationRequested) break;
                socket.Dispose();
                last = e;
                if (e is System.Security.Authentication.AuthenticationException)
                    throw new LogEngineException(LogEngineError.ConnectionFailed, $"TLS with {endpoint.Display} failed: {e.Message}", e);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                break;
            }
            // The host may still be starting: try again shortly, until the time allowed is up.
            try
            {
                await Task.Delay(pause, time, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
        throw new LogEngineException(LogEngineError.ConnectionFailed,
            $"no host answered at {endpoint.Display} within {timeout.TotalSeconds:0.###} s{(last is null ? "" : $" ({last.Message})")}; "
            + "is one running? Start one with `engine serve --namespace NS` (or LogClient.SpawnAsync)", last);
    }

    private static async Task<Stream> AuthenticateAsync(Stream stream, Endpoint endpoint, TlsSettings tls, CancellationToken ct)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host ?? "localhost",
            RemoteCertificateValidationCallback = tls.Validator(),
        };
        if (tls.CertificatePath is not null && tls.KeyPath is not null) options.ClientCertificates = [tls.LoadCertificate()];
        await ssl.AuthenticateAsClientAsync(options, ct);
        return ssl;
    }
}
