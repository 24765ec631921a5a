using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>Connecting where no host listens says how to start one, in the exception itself (not only in the CLI).</summary>
public sealed class NoHostTests
{
    [Fact]
    public async Task Connecting_to_no_host_fails_suggesting_engine_serve()
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<LogEngineException>(async () =>
            await LogClient.ConnectAsync(new ConnectOptions { Socket = "unix://" + dir.Combine("nobody.sock"), Timeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(LogEngineError.ConnectionFailed, error.Code);
        Assert.Contains("engine serve", error.Message);
    }
}
