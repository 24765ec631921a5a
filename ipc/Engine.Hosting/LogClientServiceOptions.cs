using Engine.Ipc;

namespace Engine.Hosting;

/// <summary>
/// Where <c>AddLogClient</c> connects (a host: <c>engine serve</c>, or an app with
/// <c>AddLogEngineHost</c>), bindable from configuration; mirrors <see cref="ConnectOptions"/>.
/// </summary>
public sealed class LogClientServiceOptions
{
    private static readonly ConnectOptions Defaults = new();

    /// <summary>The host's namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>An explicit address: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string? Socket { get; set; }

    /// <summary>The host's shared secret, if it has one.</summary>
    public string? Token { get; set; }

    /// <summary>How long connecting (and a silent host) may take before <see cref="LogEngineError.Timeout"/>.</summary>
    public TimeSpan Timeout { get; set; } = Defaults.Timeout;

    /// <summary>How often an idle connection proves the host is alive.</summary>
    public TimeSpan Heartbeat { get; set; } = Defaults.Heartbeat;

    /// <summary>PEM CA the host's certificate must chain to (TLS on <c>tcp://</c>).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>PEM client certificate, for a host that requires one.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>The client's connect options from these.</summary>
    public ConnectOptions ToConnectOptions() => new()
    {
        Namespace = Namespace,
        Socket = Socket,
        Token = Token,
        Timeout = Timeout,
        Heartbeat = Heartbeat,
        TlsCaFile = TlsCaFile,
        TlsCertificateFile = TlsCertificateFile,
        TlsKeyFile = TlsKeyFile,
    };
}
