using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>
/// A client process SIGKILLed with requests in flight (commits, a live proc wait): the host
/// notices at once (not at the idle timeout), drops the connection and ends its waits, and keeps
/// serving everyone else.
/// </summary>
public sealed class ClientKilledTests
{
    [Fact]
    public async Task A_client_killed_mid_request_loses_its_connection_and_the_host_keeps_serving_others()
    {
        // Reaping cannot explain anything here: only the closed socket tells the host.
        await using var host = await InProcessHost.StartAsync(o => o with { IdleTimeout = TimeSpan.FromHours(1) });
        await using var observer = await host.ConnectAsync();
        string liveProc;
        Task forgotten;
        await using (var child = ChildProcess.Start("ipc-hold", host.Address))
        {
            var line = await child.ReadLineAsync(IpcTest.Guard);
            Assert.StartsWith("LIVE ", line, StringComparison.Ordinal);
            liveProc = line!["LIVE ".Length..];
            Assert.Equal("READY", await child.ReadLineAsync(IpcTest.Guard));
            Assert.Equal(2, host.ConnectionCount);
            forgotten = host.LiveProcForgottenAsync(liveProc);

            child.Kill();
        }

        await host.UntilConnectionsAsync(1, "the host drops the killed client's connection");
        // Its live proc went with its connection: the host forgot it, so nothing is claimed for
        // a client that is gone and no destroy is needed before the store counts as caught up.
        await forgotten;
        Assert.False(await ProcExistsAsync(observer, liveProc), "the host still knows the killed client's live proc");
        await observer.CommitAsync("held", "for nobody"u8.ToArray());
        await observer.WaitForProcsAsync().AsTask().WaitAsync(IpcTest.Guard);
        // The host serves the survivor and newcomers; the killed client's commits that were
        // acknowledged are there.
        Assert.True(await observer.LengthAsync("stream") >= 100);
        await IpcTest.AssertServesAsync(observer);
        await using var newcomer = await host.ConnectAsync();
        await IpcTest.AssertServesAsync(newcomer);
    }

    private static async Task<bool> ProcExistsAsync(LogClient client, string procName)
    {
        try
        {
            await client.InspectProcAsync(procName);
            return true;
        }
        catch (LogEngineException error) when (error.Code == LogEngineError.ProcNotFound)
        {
            return false;
        }
    }
}
