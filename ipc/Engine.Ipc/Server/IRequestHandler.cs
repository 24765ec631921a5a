using Engine.Ipc.Protocol;

namespace Engine.Ipc.Server;

/// <summary>What a server does with requests: the client API (<see cref="RequestDispatcher"/>) or the worker channel.</summary>
internal interface IRequestHandler
{
    /// <summary>Operations that wait for something to happen; the client may cancel them.</summary>
    bool IsWait(Op op);

    /// <summary>Runs one request from <paramref name="connection"/>, writing its result.</summary>
    ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct);
}

/// <summary>The connection a request came on.</summary>
internal interface IConnection
{
    string Peer { get; }

    /// <summary>Cancelled when the connection closes, for whatever reason.</summary>
    CancellationToken Closed { get; }
}
