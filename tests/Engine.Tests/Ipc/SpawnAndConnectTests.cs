using Engine.Ipc;
using Engine.Ipc.Transport;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>
/// LogClient.SpawnAsync starts a host process and returns once it accepts connections;
/// ConnectAsync reaches a running host within its Timeout or fails with ConnectionFailed;
/// ShutdownAsync returns once the host has released the store.
/// </summary>
public sealed class SpawnAndConnectTests
{
    [Fact]
    public async Task SpawnAsync_starts_a_host_that_serves_commits_and_ShutdownAsync_releases_the_store_and_ends_the_process()
    {
        using var dir = new TempDirectory();
        var ns = IpcTest.NewNamespace();
        var socket = Path.Combine(Endpoint.SocketDirectory(), ns + ".sock");
        await using var host = await Spawned.StartAsync(new SpawnOptions { Namespace = ns, Location = dir.Path });
        Assert.True(IpcTest.IsRunning(host.ProcessId));
        // One socket per namespace, at the documented place, private to the user.
        Assert.Equal("unix://" + socket, host.Client.Address);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

        var ids = await host.Client.CommitAsync([new CommitLog("t", "one"u8.ToArray()), new CommitLog("t", "two"u8.ToArray())]);
        await using var other = await LogClient.ConnectAsync(new ConnectOptions { Namespace = ns, Timeout = IpcTest.Guard });
        Assert.Equal(ids, (await other.RangeAsync("t")).Select(e => e.Id));

        await host.Client.ShutdownAsync();

        // Returned: the store is free (this process can take its lock), the host process is gone,
        // and so is its socket.
        await using (var engine = LogEngine.Open(dir.Path))
            Assert.Equal(["one", "two"], (await engine.RangeAsync("t")).Select(e => e.BodyText));
        Assert.False(IpcTest.IsRunning(host.ProcessId), "the host process is still running after ShutdownAsync returned");
        Assert.False(File.Exists(socket), "the host left its socket file behind");
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await other.LengthAsync("t"));
    }

    [Fact]
    public async Task ShutdownAsync_from_a_connected_client_returns_once_the_host_has_released_the_store()
    {
        using var dir = new TempDirectory();
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Location = dir.Path });
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard });
        var id = await client.CommitAsync("t", "kept"u8.ToArray());

        await client.ShutdownAsync();

        // No wait for the process: the lock must already be free when ShutdownAsync returns.
        await using (var engine = LogEngine.Open(dir.Path))
            Assert.Equal(id, Assert.Single(await engine.RangeAsync("t")).Id);
        await IpcTest.ExitedAsync(host.ProcessId, "the host process exits after shutting down");
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await host.Client.LengthAsync("t"));
    }

    [Fact]
    public async Task ConnectAsync_reaches_a_spawned_host_by_its_explicit_socket()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Memory = true });
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard });

        Assert.Equal(socket, client.Address);
        await IpcTest.AssertServesAsync(client);
        await host.Client.ShutdownAsync();
    }

    [Fact]
    public async Task ConnectAsync_waits_for_a_host_that_starts_within_its_timeout()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        var connecting = LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard }).AsTask();
        Assert.False(connecting.IsCompleted, "ConnectAsync finished with no host to talk to");

        await using var host = await InProcessHost.StartAsync(address: socket);
        await using var client = await connecting;

        await IpcTest.AssertServesAsync(client);
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("unix-stale-file")]
    [InlineData("tcp")]
    public async Task ConnectAsync_with_nothing_listening_keeps_trying_for_its_whole_timeout_then_fails_with_ConnectionFailed(string where)
    {
        // The client's clock is fake: its time limit and the pauses between its tries run out when
        // the test moves it, so the assertions are exact and need no slack.
        var timeout = TimeSpan.FromMilliseconds(400);
        var clock = new TimerCountingClock(DateTimeOffset.UnixEpoch);
        var socket = where switch
        {
            "unix" => "unix://" + IpcTest.NewSocketPath(),
            "unix-stale-file" => "unix://" + StaleSocketTests.CreateStaleSocketFile(),
            _ => $"tcp://127.0.0.1:{IpcTest.FreeTcpPort()}",
        };

        var connecting = LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = timeout, TimeProvider = clock }).AsTask();
        // Two timers armed: the time limit, then the pause after the first refused try.
        await StillTryingAsync(connecting, clock.ArmedBeyondAsync(1), "at its first refused try");

        // A moment before the timeout it is still trying: the pause ran out, it tried again, and it
        // is pausing once more (it armed another timer)...
        var armed = clock.TimersArmed;
        clock.Advance(timeout - TimeSpan.FromMilliseconds(1));
        await StillTryingAsync(connecting, clock.ArmedBeyondAsync(armed), "a moment before its timeout");

        // ...and at the timeout it gives up.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, () => connecting.WaitAsync(IpcTest.Guard));
        Assert.Contains("within 0.4 s", error.Message, StringComparison.Ordinal);
        if (where == "unix-stale-file") File.Delete(socket["unix://".Length..]);
    }

    /// <summary>Waits until the connect pauses before another try (it arms a timer), and asserts it did not give up first.</summary>
    private static async Task StillTryingAsync(Task<LogClient> connecting, Task pausing, string when)
    {
        var first = await Task.WhenAny(connecting, pausing).WaitAsync(IpcTest.Guard);
        Assert.True(first == pausing && !connecting.IsCompleted, $"ConnectAsync gave up {when}: {connecting.Exception?.InnerException?.Message}");
    }
}
