using Engine.Ipc.Protocol;

namespace Engine.Workers.Worker;

/// <summary>
/// The worker channel's payloads (format-spec.md, section 8.5), read and written by both sides:
/// <code>
/// WorkerHello    → worker i32 · processId i32
/// WorkerTake     → worker i32                        ← batchId i64 · processor string · stamp i64 · proc string · entries
///                                                       · traceparent string · tracestate string (both null when untraced)
/// WorkerDone     → worker i32 · batchId i64 · ok bool · (outputs: count i32, bytes… | error string)
/// WorkerControl  → worker i32                        ← command u8 (1 cancel batch, 2 exit) · batchId i64
/// </code>
/// <c>worker</c> is the process's number (its <c>--worker-id</c>), new for every process the engine starts.
/// </summary>
internal static class WorkerProtocol
{
    public const byte CancelBatch = 1;
    public const byte Exit = 2;

    /// <remarks>
    /// The trace context has no feature flag: a worker is always started from the very assembly
    /// that supervises it (<see cref="Supervision.WorkerPool"/>), so both ends are one build.
    /// </remarks>
    public static void WriteBatch(WireWriter w, long batchId, string processor, long stamp, string procName, IReadOnlyList<LogEntry> entries,
        string? traceParent = null, string? traceState = null)
    {
        w.I64(batchId);
        w.String(processor);
        w.I64(stamp);
        w.String(procName);
        Codec.Write(w, entries);
        w.String(traceParent);
        w.String(traceParent is null ? null : traceState);
    }

    public static WorkerBatch ReadBatch(WireReader r)
    {
        var batch = new WorkerBatch(r.I64(), r.String(), r.I64(), r.String(), Codec.ReadEntries(r), r.NullableString(), r.NullableString());
        r.ExpectEnd();
        return batch;
    }

    public static void WriteOutputs(WireWriter w, IReadOnlyList<ReadOnlyMemory<byte>> outputs)
    {
        w.I32(outputs.Count);
        foreach (var output in outputs) w.Bytes(output.Span);
    }

    public static ReadOnlyMemory<byte>[] ReadOutputs(WireReader r)
    {
        var outputs = new ReadOnlyMemory<byte>[r.Count(minimumItemBytes: 4)];
        for (var i = 0; i < outputs.Length; i++) outputs[i] = r.Bytes();
        return outputs;
    }
}

/// <summary>A batch handed to a worker.</summary>
internal sealed record WorkerBatch(long BatchId, string Processor, long Stamp, string ProcName, LogEntry[] Entries, string? TraceParent = null, string? TraceState = null);
