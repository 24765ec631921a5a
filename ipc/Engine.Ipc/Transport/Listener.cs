using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Engine.Ipc.Transport;

/// <summary>
/// Binds a host's socket. A Unix socket file left by a crashed host is detected (nothing accepts
/// on it) and replaced; one a live host answers on is refused, so two hosts never share a
/// namespace.
/// </summary>
internal static class Listener
{
    public static async Task<Socket> BindAsync(Endpoint endpoint, ILogger logger)
    {
        if (endpoint.IsUnix) await PrepareUnixPathAsync(endpoint, logger);
        var socket = endpoint.NewSocket();
        try
        {
            socket.Bind(endpoint.Address);
            if (endpoint.SocketPath is { } path && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(512);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new LogEngineException(LogEngineError.ConnectionFailed, $"cannot listen on {endpoint.Display}: {e.Message}", e);
        }
    }

    private static async Task PrepareUnixPathAsync(Endpoint endpoint, ILogger logger)
    {
        var path = endpoint.SocketPath!;
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (!File.Exists(path)) return;
        using var probe = endpoint.NewSocket();
        try
        {
            await probe.ConnectAsync(endpoint.Address).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            logger.ReplacingStaleSocket(path);
            File.Delete(path);
            return;
        }
        throw new LogEngineException(LogEngineError.Locked, $"another host is already serving {endpoint.Display}");
    }
}
