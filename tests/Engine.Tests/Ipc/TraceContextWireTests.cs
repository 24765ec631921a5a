using System.Diagnostics;
using Engine.Ipc;
using Engine.Tests.Telemetry;
using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// The bytes of trace propagation (format-spec.md, sections 8.3 and 8.4): the host announces the
/// feature after its welcome's message, a client sends a traced request (kind 8, the W3C trace
/// context before the op) only to a host that announced it, and the host parents its server span to
/// that context. Either side may be older than the feature.
/// </summary>
public sealed class TraceContextWireTests
{
    private const byte TracedRequest = 8;

    [Fact]
    public async Task The_welcome_ends_with_the_hosts_features_after_its_message()
    {
        await using var host = await InProcessHost.StartAsync();
        using var raw = await host.ConnectRawAsync();

        await raw.SendAsync(Frame(Hello, 0, HelloPayload(null)));
        var (kind, requestId, payload) = await raw.ReadFrameAsync();

        // status 0 (accepted) · version u16 1 · message "" · features u32 3 (trace context, ack-and-proc)
        Assert.Equal((Welcome, 0u), (kind, requestId));
        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0], payload);
    }

    [Fact]
    public async Task A_traced_request_makes_the_server_span_a_child_of_the_context_it_carries()
    {
        using var spans = new SpanRecorder();
        await using var host = await InProcessHost.StartAsync();
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();

        await raw.SendAsync(Frame(TracedRequest, 21, [.. String($"00-{traceId}-{spanId}-01"), .. String("vendor=value"), .. LengthRequest("raw")]));

        var (kind, requestId, answer) = await raw.ReadFrameAsync();
        Assert.Equal((Response, 21u, (byte)1), (kind, requestId, answer[0])); // answered (InvalidTopic: nothing committed)
        var served = await spans.WaitForAsync(a => a.TraceId == traceId);
        Assert.Equal((ActivityKind.Server, "engine.ipc Length", spanId, "vendor=value"), (served.Kind, served.DisplayName, served.ParentSpanId, served.TraceStateString));
        await raw.AssertStillServedAsync();
    }

    [Fact]
    public async Task A_traced_request_whose_traceparent_does_not_parse_is_served_all_the_same()
    {
        await using var host = await InProcessHost.StartAsync();
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();

        await raw.SendAsync(Frame(TracedRequest, 22, [.. String("not a traceparent"), .. String(null), .. LengthRequest("raw")]));

        var (kind, requestId, _) = await raw.ReadFrameAsync();
        Assert.Equal((Response, 22u), (kind, requestId));
        await raw.AssertStillServedAsync();
    }

    [Fact]
    public async Task A_traced_request_cut_inside_its_trace_context_is_malformed_and_closes_the_connection()
    {
        await using var host = await InProcessHost.StartAsync();
        using var raw = await host.ConnectRawAsync();
        await raw.HandshakeAsync();

        await raw.SendQuietlyAsync(Frame(TracedRequest, 23, [.. I32(55), (byte)'0', (byte)'0']));

        Assert.True(await raw.ClosedByHostAsync(), "the host kept a connection whose traced request did not decode");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_sends_its_span_as_trace_context_only_to_a_host_that_announced_the_feature(bool announced)
    {
        using var spans = new SpanRecorder();
        // A host from before the features field ends its welcome after the message; one that has
        // it announces trace context. Either answers the request with a length of 0.
        await using var host = new ScriptedHost(announced ? [0, 1, 0, .. String(""), .. I32(1)] : [0, 1, 0, .. String("")], _ => [0, .. new byte[8]]);
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = host.Address, Timeout = IpcTest.Guard });
        using var root = SpanRecorder.StartRoot();

        Assert.Equal(0, await client.LengthAsync("t"));

        var call = await spans.WaitForAsync(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Client);
        var (kind, payload) = await host.FirstRequest;
        if (announced)
        {
            // kind 8 · traceparent "00-<trace>-<span>-<flags>" · tracestate null · op 5 (Length) · topic
            Assert.Equal(TracedRequest, kind);
            Assert.Equal([.. String($"00-{call.TraceId}-{call.SpanId}-{(call.Recorded ? "01" : "00")}"), .. I32(-1), .. LengthRequest("t")], payload);
        }
        else
        {
            Assert.Equal(Request, kind);
            Assert.Equal(LengthRequest("t"), payload);
        }
    }
}
