using Engine.Ipc.Protocol;
using Engine.Ipc.Server;
using Engine.Ipc.Transport;

namespace Engine.Tests.Ipc;

/// <summary>
/// A big read does not hold up a host's connections: the host runs a range that may be large on
/// the thread pool, not on the connection's read loop (on a host with inline socket completions,
/// the socket's completion thread), so the connection's other requests and other connections are
/// answered while it is served. No timing: the big read is held until the small ones are answered.
/// </summary>
public sealed class LargeReadTests
{
    [Fact]
    public async Task Requests_are_answered_while_a_large_range_is_being_read()
    {
        var handler = new HeldRangeHandler();
        var options = new HostServerOptions { Endpoint = Endpoint.Parse("unix://" + IpcTest.NewSocketPath()) };
        await using var server = await HostServer.StartAsync(options, handler, new CapturingLogger());
        var connect = new Engine.Ipc.ConnectOptions { Socket = server.Address, Timeout = IpcTest.Guard };
        await using var reader = await Engine.Ipc.LogClient.ConnectAsync(connect);
        await using var other = await Engine.Ipc.LogClient.ConnectAsync(connect);

        var range = reader.RangeAsync("big").AsTask();
        await handler.RangeStarted.Task.WaitAsync(IpcTest.Guard);

        Assert.Equal(7, await reader.LengthAsync("small").AsTask().WaitAsync(IpcTest.Guard)); // same connection
        Assert.Equal(7, await other.LengthAsync("small").AsTask().WaitAsync(IpcTest.Guard));
        Assert.False(range.IsCompleted, "the range was answered before it was released");

        handler.Release.Set();
        Assert.Empty(await range.WaitAsync(IpcTest.Guard));
    }

    [Fact]
    public async Task The_host_counts_a_range_as_large_by_its_limit_or_its_topic_length()
    {
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        await engine.CommitAsync([.. Enumerable.Range(0, RequestDispatcher.InlineRangeRecords + 1).Select(_ => new CommitLog("long", new byte[] { 1 }))]);
        await engine.CommitAsync("short", new byte[] { 1 });
        var dispatcher = new RequestDispatcher(engine, () => ValueTask.CompletedTask);

        Assert.True(dispatcher.IsLarge(Op.Range, RangeRequest("long", null)));
        Assert.True(dispatcher.IsLarge(Op.RevRange, RangeRequest("long", new RangeOptions { Limit = RequestDispatcher.InlineRangeRecords + 1 })));
        Assert.False(dispatcher.IsLarge(Op.Range, RangeRequest("long", new RangeOptions { Limit = 10 })));
        Assert.False(dispatcher.IsLarge(Op.Range, RangeRequest("short", null)));
        Assert.False(dispatcher.IsLarge(Op.Range, RangeRequest("never", null)));
        Assert.False(dispatcher.IsLarge(Op.Length, RangeRequest("long", null)));
    }

    private static ReadOnlyMemory<byte> RangeRequest(string topic, RangeOptions? options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        writer.U16((ushort)Op.Range);
        writer.String(topic);
        Codec.Write(writer, options);
        return buffer.WrittenMemory;
    }

    /// <summary>Answers Length at once; holds a Range, synchronously as a long scan would, until released.</summary>
    private sealed class HeldRangeHandler : IRequestHandler
    {
        public TaskCompletionSource RangeStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public bool IsWait(Op op) => false;

        public bool IsLarge(Op op, ReadOnlyMemory<byte> payload) => op == Op.Range;

        public ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct)
        {
            if (op == Op.Range)
            {
                RangeStarted.TrySetResult();
                Release.Wait(IpcTest.Guard);
                Codec.Write(result, Array.Empty<LogEntry>());
            }
            else
            {
                result.I64(7);
            }
            return ValueTask.CompletedTask;
        }
    }
}
