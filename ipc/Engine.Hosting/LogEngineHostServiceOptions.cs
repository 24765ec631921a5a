using Engine.Ipc.Hosting;
using Microsoft.Extensions.Logging;

namespace Engine.Hosting;

/// <summary>
/// <see cref="LogEngineServiceOptions"/> plus what a host serving other processes needs: where it
/// listens, a token, TLS. Bindable from configuration, validated at start.
/// </summary>
public sealed class LogEngineHostServiceOptions : LogEngineServiceOptions
{
    private static readonly EngineHostOptions Defaults = new();

    /// <summary>The namespace whose socket to serve (clients connect with the same namespace).</summary>
    public string? Namespace { get; set; }

    /// <summary>An explicit address: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string? Socket { get; set; }

    /// <summary>A shared secret clients must present.</summary>
    public string? Token { get; set; }

    /// <summary>PEM certificate served on <c>tcp://</c> (with <see cref="TlsKeyFile"/>).</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>PEM CA: require client certificates that chain to it.</summary>
    public string? TlsClientCaFile { get; set; }

    /// <summary>Connections silent this long are closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = Defaults.IdleTimeout;

    /// <summary>The host's options from these, the engine logging to <paramref name="loggers"/>.</summary>
    public EngineHostOptions ToHostOptions(ILoggerFactory? loggers = null) => new()
    {
        Path = Path,
        Memory = InMemory,
        Namespace = Namespace,
        Socket = Socket,
        Token = Token,
        TlsCertificateFile = TlsCertificateFile,
        TlsKeyFile = TlsKeyFile,
        TlsClientCaFile = TlsClientCaFile,
        IdleTimeout = IdleTimeout,
        Engine = ToEngineOptions(loggers),
    };
}
