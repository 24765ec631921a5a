using System.Diagnostics;
using Engine.Ipc.Protocol;

namespace Engine.Ipc.Server;

/// <summary>What a server does with requests: the client API (<see cref="RequestDispatcher"/>) or the worker channel.</summary>
internal interface IRequestHandler
{
    /// <summary>Operations that wait for something to happen; the client may cancel them.</summary>
    bool IsWait(Op op);

    /// <summary>
    /// Requests that may keep a thread busy for long (a big range read): the connection runs them
    /// on the thread pool instead of on its read loop, which, on a host with inline socket
    /// completions, is the socket's completion thread, shared with other connections.
    /// <paramref name="payload"/> is the whole request payload, op included; a payload that does
    /// not decode is not large (handling it reports the error).
    /// </summary>
    bool IsLarge(Op op, ReadOnlyMemory<byte> payload) => false;

    /// <summary>Runs one request from <paramref name="connection"/>, writing its result.</summary>
    ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct);

    /// <summary>
    /// Runs one request that may carry its caller's trace context (<paramref name="caller"/>;
    /// default when it carried none). A handler that does not trace ignores it.
    /// </summary>
    ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, ActivityContext caller, CancellationToken ct) =>
        HandleAsync(op, args, result, connection, ct);
}

/// <summary>The connection a request came on.</summary>
internal interface IConnection
{
    string Peer { get; }

    /// <summary>Cancelled when the connection closes, for whatever reason.</summary>
    CancellationToken Closed { get; }
}
