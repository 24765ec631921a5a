using Engine.Ipc.Server;
using Engine.Ipc.Transport;

namespace Engine.Ipc.Hosting;

/// <summary>
/// What an <see cref="EngineHost"/> runs (and <c>engine serve</c> with it): an engine, on disk or in
/// memory, and the server in front of it that other processes reach.
/// </summary>
public sealed record EngineHostOptions
{
    /// <summary>The store's directory (created if missing); ignored when <see cref="Memory"/> is set. Default: <c>engine-data</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Keep the store in memory: nothing touches disk.</summary>
    public bool Memory { get; init; }

    /// <summary>The namespace whose socket to serve (clients connect with the same namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary>An explicit address instead of the namespace's: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string? Socket { get; init; }

    /// <summary>A shared secret clients must present; a client without it gets <see cref="LogEngineError.Unauthorized"/>.</summary>
    public string? Token { get; init; }

    /// <summary>The engine's own options (durability, segments, GC, workers, processors folder).</summary>
    public LogEngineOptions Engine { get; init; } = new();

    /// <summary>PEM certificate the host presents on <c>tcp://</c> (with <see cref="TlsKeyFile"/>): serve TLS.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>PEM key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>PEM CA: require client certificates that chain to it.</summary>
    public string? TlsClientCaFile { get; init; }

    /// <summary>The largest frame a client may send, in bytes.</summary>
    public int MaxFrameSize { get; init; } = Protocol.Wire.DefaultMaxFrame;

    /// <summary>Connections silent this long are closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Shut down when stdin closes: the process that spawned this host has exited.</summary>
    internal bool ExitWithParent { get; init; }

    internal HostServerOptions ServerOptions() => new()
    {
        Endpoint = Endpoint.Resolve(Namespace, Socket),
        Token = Token,
        Tls = new TlsSettings(TlsCertificateFile, TlsKeyFile, TlsClientCaFile),
        MaxFrameSize = MaxFrameSize,
        IdleTimeout = IdleTimeout,
    };
}
