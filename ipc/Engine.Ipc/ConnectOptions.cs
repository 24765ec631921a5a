namespace Engine.Ipc;

/// <summary>How <see cref="LogClient.ConnectAsync"/> reaches a running host.</summary>
public sealed record ConnectOptions
{
    /// <summary>The host's namespace; its default socket lives under XDG_RUNTIME_DIR (or the temp folder).</summary>
    public string? Namespace { get; init; }

    /// <summary>An explicit address instead of the namespace: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string? Socket { get; init; }

    /// <summary>The shared secret the host requires, if any.</summary>
    public string? Token { get; init; }

    /// <summary>How long to try to reach the host before failing with <see cref="LogEngineError.ConnectionFailed"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>For <c>tcp://</c> with TLS: the CA (PEM) the host's certificate must chain to.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>For hosts that require client certificates: this client's certificate (PEM).</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The key (PEM) of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>How often an idle connection sends a heartbeat; a host silent for three of these is gone.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The clock of <see cref="Timeout"/> and <see cref="Heartbeat"/>: how long connecting may
    /// take, when heartbeats go out, and how long the host has been silent. Tests move a fake one.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
