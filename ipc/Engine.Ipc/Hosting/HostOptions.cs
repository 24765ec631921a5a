using Engine.Ipc.Server;
using Engine.Ipc.Transport;

namespace Engine.Ipc.Hosting;

/// <summary>What <c>engine serve</c> runs: an engine (on disk or in memory) and the server in front of it.</summary>
internal sealed record HostOptions
{
    public string? Path { get; init; }

    public bool Memory { get; init; }

    public string? Namespace { get; init; }

    public string? Socket { get; init; }

    public string? Token { get; init; }

    public LogEngineOptions Engine { get; init; } = new();

    public TlsSettings Tls { get; init; } = new(null, null, null);

    public int MaxFrameSize { get; init; } = Protocol.Wire.DefaultMaxFrame;

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Shut down when stdin closes: the process that spawned this host has exited.</summary>
    public bool ExitWithParent { get; init; }

    public HostServerOptions ServerOptions() => new()
    {
        Endpoint = Endpoint.Resolve(Namespace, Socket),
        Token = Token,
        Tls = Tls,
        MaxFrameSize = MaxFrameSize,
        IdleTimeout = IdleTimeout,
    };
}
