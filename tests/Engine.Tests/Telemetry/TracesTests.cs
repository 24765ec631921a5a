using System.Collections.Concurrent;
using System.Diagnostics;

namespace Engine.Tests.Telemetry;

/// <summary>The engine's spans (seen through an ActivityListener), found by this test's own topic and proc names.</summary>
public sealed class TracesTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracesTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task Commit_claim_and_ack_each_leave_a_span_with_the_messaging_attributes()
    {
        var topic = $"traced-{Guid.NewGuid():N}";
        var proc = $"reader-{Guid.NewGuid():N}";
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        await engine.CommitAsync(topic, "x"u8.ToArray());
        await engine.CommitAsync([new CommitLog(topic, "y"u8.ToArray()), new CommitLog(topic, "z"u8.ToArray())]);
        await engine.ProcAsync(topic, new ProcOptions { Name = proc, Count = 3 });
        await engine.AckAsync(proc);

        var sends = _stopped.Where(a => (string?)a.GetTagItem("messaging.destination.name") == topic && a.Kind == ActivityKind.Producer).ToList();
        Assert.Equal([1, 2], sends.Select(a => (int)a.GetTagItem("messaging.batch.message_count")!).Order());
        Assert.All(sends, a => Assert.Equal($"send {topic}", a.DisplayName));
        var procSpans = _stopped.Where(a => (string?)a.GetTagItem("messaging.consumer.group.name") == proc).Select(a => a.DisplayName).ToList();
        Assert.Equal([$"receive {proc}", $"ack {proc}"], procSpans);
    }

    [Fact]
    public async Task A_failed_commit_leaves_a_span_marked_with_the_error_code()
    {
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        var bad = new string('x', 300); // names are at most 255 bytes
        await Assert.ThrowsAsync<LogEngineException>(async () => await engine.CommitAsync(bad, "x"u8.ToArray()));
        var span = Assert.Single(_stopped, a => (string?)a.GetTagItem("messaging.destination.name") == bad);
        Assert.Equal((ActivityStatusCode.Error, "InvalidArgument"), (span.Status, span.GetTagItem("error.type")));
    }

    public void Dispose() => _listener.Dispose();
}
