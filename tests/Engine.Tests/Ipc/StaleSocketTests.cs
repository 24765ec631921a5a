using System.Net.Sockets;
using Engine.Ipc;
using Engine.Ipc.Transport;
using Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine.Tests.Ipc;

/// <summary>
/// A socket file left by a host that is gone is detected and replaced; a host that is alive keeps
/// its namespace: a second host there fails clearly and does not disturb the first.
/// </summary>
public sealed class StaleSocketTests
{
    /// <summary>
    /// A Unix socket file that nobody listens on, as a crashed host leaves it. .NET unlinks the
    /// file of a socket it bound when the socket is disposed, so the file is moved away first.
    /// </summary>
    internal static string CreateStaleSocketFile(string? path = null)
    {
        path ??= IpcTest.NewSocketPath();
        var bound = IpcTest.NewSocketPath();
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            socket.Listen();
            File.Move(bound, path);
        }
        Assert.True(File.Exists(path), "the stale socket file is gone");
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var refused = Assert.Throws<SocketException>(() => probe.Connect(new UnixDomainSocketEndPoint(path)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        return path;
    }

    [Fact]
    public async Task An_in_process_host_replaces_a_stale_socket_file_and_serves()
    {
        var path = CreateStaleSocketFile();

        await using var host = await InProcessHost.StartAsync(address: "unix://" + path);
        await using var client = await host.ConnectAsync();

        await IpcTest.AssertServesAsync(client);
        Assert.True(host.Log.Logged(Microsoft.Extensions.Logging.LogLevel.Warning, "stale socket"), "replacing a stale socket is not logged");
    }

    [Fact]
    public async Task A_spawned_host_replaces_a_stale_socket_file_in_its_namespace_and_serves()
    {
        var ns = IpcTest.NewNamespace();
        var path = Path.Combine(Endpoint.SocketDirectory(), ns + ".sock");
        if (!OperatingSystem.IsWindows())
            Directory.CreateDirectory(Endpoint.SocketDirectory(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        CreateStaleSocketFile(path);

        await using var host = await Spawned.StartAsync(new SpawnOptions { Namespace = ns, Memory = true });
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Namespace = ns, Timeout = IpcTest.Guard });

        await IpcTest.AssertServesAsync(client);
        await host.Client.ShutdownAsync();
    }

    [Fact]
    public async Task A_second_host_on_a_live_namespace_fails_with_Locked_and_the_first_keeps_serving()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var ns = IpcTest.NewNamespace();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Namespace = ns, Location = first.Path });

        // Spawned: the second host process exits, and SpawnAsync says why.
        var spawned = await IpcTest.FailsWithAsync(LogEngineError.Locked,
            async () => await LogClient.SpawnAsync(new SpawnOptions { Namespace = ns, Location = second.Path, Workers = 0 }));
        Assert.Contains("already serving", spawned.Message, StringComparison.Ordinal);
        // In this process: EngineHost.StartAsync fails the same way, and lets go of its store.
        await IpcTest.FailsWithAsync(LogEngineError.Locked, async () =>
            await Engine.Ipc.Hosting.EngineHost.StartAsync(new Engine.Ipc.Hosting.EngineHostOptions { Path = second.Path, Namespace = ns }, NullLogger.Instance));
        await using (LogEngine.Open(second.Path))
        {
        }
        // The command: a non-zero exit and a message naming the problem.
        await using (var process = HostProcess.Start("--namespace", ns, "--memory"))
        {
            Assert.NotEqual(0, await process.ExitCodeAsync());
            Assert.Contains("Locked", process.Errors, StringComparison.Ordinal);
        }

        // The first host's socket is untouched: old and new clients reach it.
        await IpcTest.AssertServesAsync(host.Client);
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Namespace = ns, Timeout = IpcTest.Guard });
        await IpcTest.AssertServesAsync(client);
        await host.Client.ShutdownAsync();
    }

    [Fact]
    public async Task A_second_host_on_a_store_in_use_fails_with_Locked()
    {
        using var dir = new TempDirectory();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Socket = "unix://" + IpcTest.NewSocketPath(), Location = dir.Path });
        var socket = "unix://" + IpcTest.NewSocketPath();

        await IpcTest.FailsWithAsync(LogEngineError.Locked,
            async () => await LogClient.SpawnAsync(new SpawnOptions { Socket = socket, Location = dir.Path, Workers = 0 }));

        Assert.False(File.Exists(socket["unix://".Length..]), "the host that could not open its store left a socket behind");
        await IpcTest.AssertServesAsync(host.Client);
        await host.Client.ShutdownAsync();
    }
}
