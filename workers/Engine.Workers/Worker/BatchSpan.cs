using System.Diagnostics;
using Engine.Telemetry;

namespace Engine.Workers.Worker;

/// <summary>
/// The span of one processor run in a worker process, the child of the engine's span for the
/// batch (whose W3C trace context came with the batch). A worker process usually has no listener
/// of its own, so the span is then a bare activity, recorded by nobody: it still becomes the
/// current activity while the processor runs, so whatever the processor traces (an HTTP call, its
/// own ActivitySource) joins the record's trace. An untraced batch runs with no span at all.
/// </summary>
internal static class BatchSpan
{
    public static Activity? Start(WorkerBatch batch)
    {
        if (batch.TraceParent is null || !ActivityContext.TryParse(batch.TraceParent, batch.TraceState, isRemote: true, out var parent)) return null;
        var name = $"run {batch.ProcName}";
        var span = EngineActivities.Source.HasListeners() ? EngineActivities.Source.StartActivity(name, ActivityKind.Internal, parent) : null;
        if (span is null)
        {
            span = new Activity(name).SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            span.TraceStateString = parent.TraceState;
            span.Start();
        }
        span.SetTag(EngineMetrics.SystemProcTag, batch.ProcName);
        span.SetTag("engine.processor", batch.Processor);
        // The OS process id, as the engine's figures report it: the number on the worker channel names
        // a process the engine started, not the slot it serves (a spare learns of no slot).
        span.SetTag("process.pid", Environment.ProcessId);
        span.SetTag(EngineActivities.BatchCount, batch.Entries.Length);
        return span;
    }
}
