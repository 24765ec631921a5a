using System.Diagnostics;
using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Telemetry;

/// <summary>
/// A batch of a system proc is one trace: a <c>process</c> span over its claim, its processor's run
/// and its ack. A DLL processor runs in a worker process, under a span whose parent is that
/// <c>process</c> span (its trace context travels with the batch).
/// </summary>
public sealed class SystemProcTracesTests
{
    [Fact]
    public async Task A_processor_in_a_worker_runs_in_the_trace_of_the_engines_span_for_its_batch()
    {
        using var spans = new SpanRecorder();
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        var name = $"traced-{Guid.NewGuid():N}";
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = name, From = ["in"], To = ["out"], Processor = dll });

        await store.Engine.CommitAsync("in", "trace"u8.ToArray()); // Chaos answers with its activity's trace id and parent span id
        await store.WaitForProcsAsync(name);

        var seen = Assert.Single(await store.BodiesAsync("out")).Split('|');
        Assert.Equal(2, seen.Length); // not "none": the processor ran under an activity
        var process = await spans.WaitForAsync(a => a.TraceId.ToString() == seen[0] && a.DisplayName == $"process {name}");
        Assert.Equal((ActivityKind.Consumer, seen[1]), (process.Kind, process.SpanId.ToString())); // the worker's span is its child
        Assert.Equal(1, process.GetTagItem("messaging.batch.message_count"));
        var claim = await spans.WaitForAsync(a => a.TraceId == process.TraceId && a.DisplayName == $"receive {name}");
        var ack = await spans.WaitForAsync(a => a.TraceId == process.TraceId && a.DisplayName == $"ack {name}");
        Assert.Equal((process.SpanId, process.SpanId), (claim.ParentSpanId, ack.ParentSpanId));
    }

    [Fact]
    public async Task An_inline_processor_runs_under_a_process_span_whose_child_is_the_ack()
    {
        using var spans = new SpanRecorder();
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        var name = $"inline-{Guid.NewGuid():N}";
        var runUnder = new TaskCompletionSource<Activity?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await engine.SystemProcAsync(new SystemProcOptions
        {
            Name = name,
            From = ["in"],
            InlineProcessor = (logs, _) =>
            {
                runUnder.TrySetResult(Activity.Current);
                return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([]);
            },
        });

        await engine.CommitAsync("in", Encoding.UTF8.GetBytes("x"));

        var current = await runUnder.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(current);
        var process = await spans.WaitForAsync(a => a.SpanId == current.SpanId);
        Assert.Equal(($"process {name}", ActivityKind.Consumer, (object?)name), (process.DisplayName, process.Kind, process.GetTagItem("engine.system_proc")));
        var ack = await spans.WaitForAsync(a => a.TraceId == process.TraceId && a.DisplayName == $"ack {name}");
        Assert.Equal(process.SpanId, ack.ParentSpanId);
    }
}
