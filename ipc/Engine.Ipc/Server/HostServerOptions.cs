using Engine.Ipc.Transport;

namespace Engine.Ipc.Server;

/// <summary>Limits and timings of a host's connections.</summary>
internal sealed record HostServerOptions
{
    public required Endpoint Endpoint { get; init; }

    public string? Token { get; init; }

    public TlsSettings Tls { get; init; } = new(null, null, null);

    /// <summary>A frame longer than this closes the connection that sent it.</summary>
    public int MaxFrameSize { get; init; } = Protocol.Wire.DefaultMaxFrame;

    /// <summary>Answers waiting for a client that does not read; beyond this the connection is dropped.</summary>
    public long MaxQueuedBytesPerClient { get; init; } = 64L * 1024 * 1024;

    /// <summary>Requests of one connection being worked on at once; beyond this its input waits.</summary>
    public int MaxPendingRequestsPerClient { get; init; } = 1024;

    /// <summary>A connection silent for this long (no request, no heartbeat) is closed as dead.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a new connection has to say hello.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of the idle and handshake timeouts (tests move a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long a graceful shutdown waits for requests in progress.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
