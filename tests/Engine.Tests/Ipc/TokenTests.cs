using Engine.Ipc;
using Engine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Engine.Tests.Ipc;

/// <summary>
/// A host with a token refuses a client that presents a wrong one or none: Unauthorized, and the
/// connection is closed. Clients with the token are served before, during and after.
/// </summary>
public sealed class TokenTests
{
    private const string Token = "s3cret-token";

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("s3cret-token ")]
    public async Task A_wrong_or_missing_token_gets_Unauthorized_and_the_host_keeps_serving_the_right_token(string? presented)
    {
        await using var host = await InProcessHost.StartAsync(o => o with { Token = Token });
        await using var trusted = await host.ConnectAsync(Token);

        await IpcTest.FailsWithAsync(LogEngineError.Unauthorized, async () => await host.ConnectAsync(presented));

        await IpcTest.AssertServesAsync(trusted);
        await using var later = await host.ConnectAsync(Token);
        await IpcTest.AssertServesAsync(later);
        Assert.True(host.Log.Logged(LogLevel.Warning, "wrong or missing token"), "the refusal is not logged");
    }

    [Fact]
    public async Task A_refused_connection_is_closed_by_the_host_after_its_Unauthorized_welcome()
    {
        await using var host = await InProcessHost.StartAsync(o => o with { Token = Token });
        using var raw = await host.ConnectRawAsync();

        Assert.Equal(1, await raw.HelloAsync("wrong")); // 1 = Unauthorized

        Assert.True(await raw.ClosedByHostAsync(), "the host kept a refused connection open");
        await host.UntilConnectionsAsync(0, "the refused connection is dropped");
    }

    [Fact]
    public async Task A_spawned_host_requires_the_token_it_was_given()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Memory = true, Token = Token });

        await IpcTest.FailsWithAsync(LogEngineError.Unauthorized,
            async () => await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard }));
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Token = Token, Timeout = IpcTest.Guard });

        await IpcTest.AssertServesAsync(client);
        await IpcTest.AssertServesAsync(host.Client);
        // It reached the host through its environment: its command line, which every user of the machine can read, does not carry it.
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain(Token, CommandLine.Of(host.ProcessId));
        await host.Client.ShutdownAsync();
    }
}
