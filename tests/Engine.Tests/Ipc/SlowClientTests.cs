using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// A client that sends requests but stops reading the answers cannot make the host buffer
/// without bound: past the limit of queued bytes its connection is dropped, and only its own.
/// </summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task A_client_that_stops_reading_its_answers_is_dropped_once_too_much_is_queued_for_it()
    {
        await using var host = await InProcessHost.StartAsync(o => o with { MaxQueuedBytesPerClient = 256 * 1024 });
        await using var bystander = await host.ConnectAsync();
        await bystander.CommitAsync("big", new byte[64 * 1024]);
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();
        var range = Frame(Request, 1, [3, 0, .. String("big"), 0]); // RangeAsync("big"): 64 KiB an answer

        // 16 MiB of answers asked for, none read.
        var asking = Task.Run(async () =>
        {
            for (var i = 0; i < 256; i++) await raw.SendQuietlyAsync(range);
        });

        await host.UntilConnectionsAsync(1, "the host drops the client that does not read");
        await asking.WaitAsync(IpcTest.Guard);
        await IpcTest.AssertServesAsync(bystander);
        await using var newcomer = await host.ConnectAsync();
        await IpcTest.AssertServesAsync(newcomer);
    }
}
