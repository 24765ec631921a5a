using System.Diagnostics;
using Engine.Tests.Ipc;

namespace Engine.Tests.Telemetry;

/// <summary>A call over IPC is one trace: the client's span, and the host's server span as its child.</summary>
public sealed class IpcTracesTests
{
    [Fact]
    public async Task A_client_call_has_a_client_span_whose_child_is_the_hosts_server_span()
    {
        using var spans = new SpanRecorder();
        await using var host = await InProcessHost.StartAsync();
        await using var client = await host.ConnectAsync();
        using var root = SpanRecorder.StartRoot();

        await client.CommitAsync("traced", "x"u8.ToArray());

        Assert.Same(root, Activity.Current); // the client span did not stay the caller's current activity
        var call = await spans.WaitForAsync(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Client);
        var served = await spans.WaitForAsync(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Server);
        var commit = await spans.WaitForAsync(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Producer);
        Assert.Equal(("engine.ipc Commit", root.SpanId), (call.DisplayName, call.ParentSpanId));
        Assert.Equal(("engine.ipc Commit", call.SpanId), (served.DisplayName, served.ParentSpanId));
        Assert.Equal(("send traced", served.SpanId), (commit.DisplayName, commit.ParentSpanId));
    }

    [Fact]
    public async Task A_failed_call_leaves_a_client_span_marked_with_the_error_code()
    {
        using var spans = new SpanRecorder();
        await using var host = await InProcessHost.StartAsync();
        await using var client = await host.ConnectAsync();
        using var root = SpanRecorder.StartRoot();

        await IpcTest.FailsWithAsync(LogEngineError.InvalidTopic, async () => await client.LengthAsync("never-committed"));

        var call = await spans.WaitForAsync(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Client);
        Assert.Equal((ActivityStatusCode.Error, "InvalidTopic"), (call.Status, call.GetTagItem("error.type")));
    }
}
