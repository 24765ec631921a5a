using Engine.Ipc;
using Engine.Ipc.Protocol;
using Engine.Ipc.Server;
using Engine.Ipc.Transport;

namespace Engine.Tests.Ipc;

/// <summary>
/// A host whose MaxRangeBytes is raised past the frame a client accepts can build an answer too big
/// to send. That request fails with InvalidArgument saying to read in pages; the connection and
/// the calls beside it go on (before, the client dropped the connection and every later call on it
/// failed with ConnectionFailed).
/// </summary>
public sealed class OversizedAnswerTests
{
    [Fact]
    public async Task A_range_answer_over_the_frame_limit_fails_alone_and_the_connection_goes_on()
    {
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0, MaxRangeBytes = 2L * Wire.DefaultMaxFrame });
        var body = new byte[8 * 1024 * 1024];
        body.AsSpan().Fill(3);
        var records = Wire.DefaultMaxFrame / body.Length + 2; // ten 8 MiB records: 80 MiB, over the 64 MiB frame
        await engine.CommitAsync([.. Enumerable.Range(0, records).Select(_ => new CommitLog("big", body))]);
        var options = new HostServerOptions { Endpoint = Endpoint.Parse("unix://" + IpcTest.NewSocketPath()) };
        await using var server = await HostServer.StartAsync(options, new RequestDispatcher(engine, () => ValueTask.CompletedTask), new CapturingLogger());
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = server.Address, Timeout = IpcTest.Guard });

        var error = await IpcTest.FailsWithAsync(LogEngineError.InvalidArgument, async () => await client.RangeAsync("big"));

        Assert.Contains("read it in pages", error.Message, StringComparison.Ordinal);
        Assert.Equal(records, await client.LengthAsync("big"));
        var page = await client.RangeAsync("big", new RangeOptions { Start = ":3", Limit = 2 });
        Assert.Equal(2, page.Count);
        Assert.True(page.All(e => e.Body.Span.SequenceEqual(body)));
    }
}
