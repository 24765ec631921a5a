using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Engine.Ipc.Transport;

/// <summary>
/// Where a host listens. By default one Unix domain socket per namespace:
/// <c>$XDG_RUNTIME_DIR/engine/&lt;namespace&gt;.sock</c> when XDG_RUNTIME_DIR is set, else
/// <c>&lt;temp&gt;/engine-&lt;user&gt;/&lt;namespace&gt;.sock</c>; the folder is private to the user (0700)
/// and the socket 0600. Explicit addresses are <c>unix:///path</c> or <c>tcp://host:port</c>.
/// </summary>
internal sealed partial record Endpoint(EndPoint Address, string Display, string? SocketPath, string? Host)
{
    public const string DefaultNamespace = "default";

    public bool IsUnix => SocketPath is not null;

    public static Endpoint Resolve(string? ns, string? socket)
    {
        if (!string.IsNullOrEmpty(socket)) return Parse(socket);
        ns = string.IsNullOrEmpty(ns) ? DefaultNamespace : ns;
        if (!NamespacePattern().IsMatch(ns))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"namespace '{ns}': use 1-64 letters, digits, '.', '_' or '-'");
        return Unix(Path.Combine(SocketDirectory(), ns + ".sock"));
    }

    public static Endpoint Parse(string address)
    {
        if (address.StartsWith("unix://", StringComparison.Ordinal)) return Unix(address["unix://".Length..]);
        if (address.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0)
        {
            var host = uri.Host.Trim('[', ']');
            var ip = IPAddress.TryParse(host, out var parsed) ? parsed : host == "localhost" ? IPAddress.Loopback : null;
            EndPoint endPoint = ip is null ? new DnsEndPoint(host, uri.Port) : new IPEndPoint(ip, uri.Port);
            return new Endpoint(endPoint, string.Create(CultureInfo.InvariantCulture, $"tcp://{host}:{uri.Port}"), null, host);
        }
        throw new LogEngineException(LogEngineError.InvalidArgument, $"socket address '{address}': use unix:///path or tcp://host:port");
    }

    public static string SocketDirectory()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime)
            ? Path.Combine(Path.GetTempPath(), $"engine-{Environment.UserName}")
            : Path.Combine(runtime, "engine");
    }

    private static Endpoint Unix(string path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"unix socket path '{path}' must be absolute");
        return new Endpoint(new UnixDomainSocketEndPoint(path), "unix://" + path, path, null);
    }

    public Socket NewSocket() => IsUnix
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamespacePattern();
}
