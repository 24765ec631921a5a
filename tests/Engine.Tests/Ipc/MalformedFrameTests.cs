using System.Text;
using Microsoft.Extensions.Logging;
using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// Frames that break the protocol (over the size limit, not frames at all, of a kind a client
/// never sends, a request before the handshake) close the connection that sent them, with a
/// logged reason, and nothing else: other clients of the host keep working.
/// </summary>
public sealed class MalformedFrameTests
{
    private const int MaxFrame = 64 * 1024;

    /// <summary>Each case: whether it follows a completed handshake, the bytes, and what the host logs.</summary>
    private static (bool AfterHandshake, byte[] Bytes, string? Reason) Case(string name) => name switch
    {
        // A length prefix over the limit: refused as soon as its four bytes are in.
        "oversized" => (true, [.. I32(MaxFrame + 1), Request, 1, 0, 0, 0, 5, 0], "over the limit"),
        "oversized-hello" => (false, [.. I32(1 << 20), Hello, 0, 0, 0, 0], "over the limit"),
        "huge-length" => (true, I32(int.MaxValue), "over the limit"),
        "negative-length" => (true, [0xFF, 0xFF, 0xFF, 0xFF, Request, 1, 0, 0, 0], "shorter than a frame header"),
        "length-shorter-than-header" => (true, [.. I32(2), Request, 1], "shorter than a frame header"),
        "unknown-kind" => (true, Frame(99, 1, [1, 2, 3]), "unknown frame kind 99"),
        "host-only-kind" => (true, Frame(Welcome, 1, [0, 1, 0]), "does not send"),
        "request-without-op" => (true, Frame(Request, 1, [5]), "ends early"),
        "request-before-hello" => (false, Frame(Request, 1, LengthRequest("t")), "expected a hello"),
        "ping-before-hello" => (false, Frame(Ping, 0, []), "expected a hello"),
        "http-request" => (false, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), "over the limit"),
        "random-bytes-before-hello" => (false, RandomBytes(1), null),
        "random-bytes-before-hello-2" => (false, RandomBytes(2), null),
        "random-bytes-before-hello-3" => (false, RandomBytes(3), null),
        "wrong-magic" => (false, Frame(Hello, 0, HelloPayload(null, magic: "NOTENGI\n")), "not an Engine client"),
        "wrong-version" => (false, Frame(Hello, 0, HelloPayload(null, version: 999)), "protocol version 999"),
        _ => throw new ArgumentException(name),
    };

    /// <summary>
    /// Random bytes as a first frame: whatever length they announce, there are enough bytes for a
    /// whole frame of it, so the host never waits for more; the frame cannot be a valid hello.
    /// </summary>
    private static byte[] RandomBytes(int seed)
    {
        var bytes = new byte[16 * 1024];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData("oversized")]
    [InlineData("oversized-hello")]
    [InlineData("huge-length")]
    [InlineData("negative-length")]
    [InlineData("length-shorter-than-header")]
    [InlineData("unknown-kind")]
    [InlineData("host-only-kind")]
    [InlineData("request-without-op")]
    [InlineData("request-before-hello")]
    [InlineData("ping-before-hello")]
    [InlineData("http-request")]
    [InlineData("random-bytes-before-hello")]
    [InlineData("random-bytes-before-hello-2")]
    [InlineData("random-bytes-before-hello-3")]
    [InlineData("wrong-magic")]
    [InlineData("wrong-version")]
    public async Task A_bad_frame_closes_only_the_connection_that_sent_it(string badFrame)
    {
        var (afterHandshake, bytes, reason) = Case(badFrame);
        await using var host = await InProcessHost.StartAsync(o => o with { MaxFrameSize = MaxFrame });
        // A bystander with a wait in flight (a live proc) while the bad frame arrives.
        await using var bystander = await host.ConnectAsync();
        await using var live = bystander.LiveProc("waiting");
        using var guard = new CancellationTokenSource(IpcTest.Guard);
        var woken = Task.Run(async () =>
        {
            await foreach (var batch in live.ChangesAsync(guard.Token)) return batch[0].BodyText;
            return null;
        });
        using var raw = await host.ConnectRawAsync();
        if (afterHandshake) await raw.HandshakeAsync();

        await raw.SendQuietlyAsync(bytes);

        Assert.True(await raw.ClosedByHostAsync(), $"the host kept the connection open after {badFrame}");
        await host.UntilConnectionsAsync(1, "the bad connection is dropped");
        await IpcTest.AssertServesAsync(bystander);
        await using var newcomer = await host.ConnectAsync();
        await IpcTest.AssertServesAsync(newcomer);
        await newcomer.CommitAsync("waiting", "wake"u8.ToArray());
        Assert.Equal("wake", await woken);
        var warnings = host.Log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.True(warnings.Count > 0, "no reason was logged");
        if (reason is not null) Assert.Contains(warnings, m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_without_the_host_waiting_for_its_payload()
    {
        await using var host = await InProcessHost.StartAsync(o => o with { MaxFrameSize = MaxFrame });
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();

        // Only the header of a 1 GiB frame: the host must not sit waiting for the rest.
        await raw.SendAsync([.. I32(1 << 30), Request, 1, 0, 0, 0]);

        Assert.True(await raw.ClosedByHostAsync(), "the host waited for the payload of an oversized frame");
    }

    [Fact]
    public async Task A_frame_of_exactly_the_maximum_size_is_accepted()
    {
        await using var host = await InProcessHost.StartAsync(o => o with { MaxFrameSize = MaxFrame });
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();
        // A well-formed Length request whose topic fills the frame to the limit: it is read and
        // answered (InvalidArgument from the engine: the name is too long), and the connection stays open.
        var topic = new string('a', MaxFrame - Header - OpAndLength);

        await raw.SendAsync(Frame(Request, 9, LengthRequest(topic)));

        var (kind, requestId, answer) = await raw.ReadFrameAsync();
        Assert.Equal((Response, 9u), (kind, requestId));
        Assert.Equal([1, (byte)LogEngineError.InvalidArgument], answer[..2]);
        await raw.AssertStillServedAsync();
    }

    /// <summary>Bytes of a frame header after its length field: kind and request id.</summary>
    private const int Header = 5;

    /// <summary>An op and a string's length prefix.</summary>
    private const int OpAndLength = 2 + 4;

    public static TheoryData<string> MalformedRequests => new() { "unknown-operation", "string-past-the-frame", "trailing-bytes" };

    private static byte[] MalformedRequest(string name) => name switch
    {
        "unknown-operation" => [0xE7, 0x03], // operation 999
        "string-past-the-frame" => [(byte)OpLength, 0, .. I32(1000), (byte)'t'],
        "trailing-bytes" => [.. LengthRequest("t"), 0],
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_in_a_well_formed_frame_is_answered_with_InvalidArgument_then_its_connection_closes(string request)
    {
        await using var host = await InProcessHost.StartAsync();
        await using var bystander = await host.ConnectAsync();
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();

        await raw.SendAsync(Frame(Request, 11, MalformedRequest(request)));

        var (kind, requestId, answer) = await raw.ReadFrameAsync();
        Assert.Equal((Response, 11u), (kind, requestId));
        Assert.Equal([1, (byte)LogEngineError.InvalidArgument], answer[..2]);
        Assert.Contains("malformed request", Encoding.UTF8.GetString(answer), StringComparison.Ordinal);
        Assert.True(await raw.ClosedByHostAsync(), $"the host kept the connection open after a malformed request ({request})");
        await host.UntilConnectionsAsync(1, "the bad connection is dropped");
        await IpcTest.AssertServesAsync(bystander);
        Assert.Contains(host.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Closing connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_serve_command_applies_its_max_frame_size()
    {
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var process = HostProcess.Start("--memory", "--socket", socket, "--max-frame-size", "1024");
        Assert.Equal(socket, await process.ReadyAsync());
        await using var bystander = await Engine.Ipc.LogClient.ConnectAsync(new Engine.Ipc.ConnectOptions { Socket = socket, Timeout = IpcTest.Guard });
        using var raw = await RawConnection.ConnectAsync(socket);
        await raw.HandshakeAsync();
        await raw.SendAsync(Frame(Request, 3, LengthRequest(new string('a', 1024 - Header - OpAndLength))));
        Assert.Equal(3u, (await raw.ReadFrameAsync()).RequestId);

        await raw.SendAsync([.. I32(1025), Request, 4, 0, 0, 0]);

        Assert.True(await raw.ClosedByHostAsync(), "a frame over --max-frame-size did not close the connection");
        await IpcTest.AssertServesAsync(bystander);
        await process.ErrorLineAsync("over the limit of 1024", "the host logs why it closed the connection");
    }
}
