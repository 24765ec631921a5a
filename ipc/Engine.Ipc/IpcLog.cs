using Microsoft.Extensions.Logging;

namespace Engine.Ipc;

/// <summary>
/// The IPC host's log lines, source-generated, with event ids 2000-2099: a connection's log lines
/// are on the per-connection path, so none formats its message unless its level is on.
/// </summary>
internal static partial class IpcLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "TLS handshake with {Peer} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(this ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Closing connection {Peer}: {Reason}")]
    public static partial void ClosingConnection(this ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Connection {Peer} ended: {Reason}")]
    public static partial void ConnectionEnded(this ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Refused connection {Peer}: {Reason}")]
    public static partial void RefusedConnection(this ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Request failed inside the host")]
    public static partial void RequestFailedInsideHost(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Replacing the stale socket {Socket} left by a host that is gone")]
    public static partial void ReplacingStaleSocket(this ILogger logger, string socket);
}
