namespace Engine.Ipc.Protocol;

/// <summary>How the API's types cross the wire (format-spec.md, section 8.4), both ways.</summary>
internal static class Codec
{
    public static void Write(WireWriter w, CommitLog log)
    {
        w.String(log.Topic);
        w.Bytes(log.Body.Span);
    }

    public static CommitLog ReadCommitLog(WireReader r) => new(r.String(), r.Bytes());

    /// <summary>A list: its count (i32), then each item.</summary>
    private static void WriteList<T>(WireWriter w, IReadOnlyList<T> items, Action<WireWriter, T> writeItem)
    {
        w.I32(items.Count);
        for (var i = 0; i < items.Count; i++) writeItem(w, items[i]);
    }

    /// <summary>Reads what <see cref="WriteList"/> wrote; the count is checked against the bytes left first.</summary>
    private static T[] ReadList<T>(WireReader r, int minimumItemBytes, Func<WireReader, T> readItem)
    {
        var items = new T[r.Count(minimumItemBytes)];
        for (var i = 0; i < items.Length; i++) items[i] = readItem(r);
        return items;
    }

    public static void Write(WireWriter w, IReadOnlyList<CommitLog> logs) => WriteList(w, logs, Write);

    public static CommitLog[] ReadCommitLogs(WireReader r) => ReadList(r, minimumItemBytes: 8, ReadCommitLog);

    public static void Write(WireWriter w, IReadOnlyList<string> strings) => WriteList(w, strings, static (w, value) => w.String(value));

    public static string[] ReadStrings(WireReader r) => ReadList(r, minimumItemBytes: 4, static r => r.String());

    public static void Write(WireWriter w, LogEntry entry)
    {
        w.String(entry.Id);
        w.Bytes(entry.Body.Span);
    }

    public static void Write(WireWriter w, IReadOnlyList<LogEntry> entries) => WriteList(w, entries, Write);

    /// <summary>Entries whose bodies are slices of the received frame: one allocation for the whole answer.</summary>
    public static LogEntry[] ReadEntries(WireReader r) => ReadList(r, minimumItemBytes: 8, static r => new LogEntry(r.String(), r.Bytes()));

    public static void Write(WireWriter w, RangeOptions? options)
    {
        w.Bool(options is not null);
        if (options is null) return;
        w.String(options.Start);
        w.String(options.End);
        w.I32(options.Limit);
        w.Bool(options.Exclusive);
    }

    public static RangeOptions? ReadRangeOptions(WireReader r) => r.Bool()
        ? new RangeOptions { Start = r.NullableString(), End = r.NullableString(), Limit = r.I32(), Exclusive = r.Bool() }
        : null;

    public static void Write(WireWriter w, ProcOptions options)
    {
        w.String(options.Name);
        w.String(options.Offset);
        w.I32(options.Count);
        w.I32(options.MaxReclaims);
        w.I64(options.ReclaimTimeout.Ticks);
        w.U8((byte)options.OnMaxReclaimsReached);
        w.String(options.DeadLetterTopic);
    }

    public static ProcOptions ReadProcOptions(WireReader r) => new()
    {
        Name = r.NullableString()!,
        Offset = r.NullableString()!,
        Count = r.I32(),
        MaxReclaims = r.I32(),
        ReclaimTimeout = TimeSpan.FromTicks(r.I64()),
        OnMaxReclaimsReached = (OnMaxReclaims)r.U8(),
        DeadLetterTopic = r.NullableString(),
    };

    public static void Write(WireWriter w, ProcState state)
    {
        w.String(state.Name);
        w.String(state.Topic);
        w.U8((byte)state.Status);
        w.String(state.Offset);
        w.I64(state.CreatedAt.UtcTicks);
        w.String(state.LastClaimedRange);
        w.String(state.PreviousClaimedRange);
        w.String(state.LastAckedRange);
        w.I64(state.LastClaimedAt?.UtcTicks ?? -1);
        w.I64(state.LastAckedAt?.UtcTicks ?? -1);
        w.I32(state.Reclaims);
        w.I32(state.MaxReclaims);
        w.I64(state.ReclaimTimeout.Ticks);
        w.U8((byte)state.OnMaxReclaimsReached);
        w.String(state.DeadLetterTopic);
    }

    public static ProcState ReadProcState(WireReader r) => new(
        r.String(), r.String(), (ProcStatus)r.U8(), r.String(), Time(r.I64()) ?? throw new WireFormatException("a proc state without a creation time"),
        r.String(), r.String(), r.String(), Time(r.I64()), Time(r.I64()),
        r.I32(), r.I32(), TimeSpan.FromTicks(r.I64()), (OnMaxReclaims)r.U8())
    {
        DeadLetterTopic = r.NullableString(),
    };

    public static void Write(WireWriter w, IReadOnlyList<ProcState> states) => WriteList(w, states, Write);

    public static ProcState[] ReadProcStates(WireReader r) => ReadList(r, minimumItemBytes: 32, ReadProcState);

    public static void Write(WireWriter w, TopicInfo topic)
    {
        w.String(topic.Name);
        w.I64(topic.Length);
        w.String(topic.FirstId);
        w.String(topic.LastId);
    }

    public static TopicInfo ReadTopicInfo(WireReader r) => new(r.String(), r.I64(), r.String(), r.String());

    public static void Write(WireWriter w, IReadOnlyList<TopicInfo> topics) => WriteList(w, topics, Write);

    public static TopicInfo[] ReadTopicInfos(WireReader r) => ReadList(r, minimumItemBytes: 20, ReadTopicInfo);

    /// <summary>A proc state, its lag, and the age of its oldest pending record in ticks (-1 for none).</summary>
    public static void Write(WireWriter w, ProcInfo info)
    {
        Write(w, info.State);
        w.I64(info.Lag);
        w.I64(info.OldestPendingAge?.Ticks ?? -1);
    }

    public static ProcInfo ReadProcInfo(WireReader r)
    {
        var state = ReadProcState(r);
        var lag = r.I64();
        var age = r.I64();
        return new ProcInfo(state, lag, age < 0 ? null : TimeSpan.FromTicks(age));
    }

    public static void Write(WireWriter w, IReadOnlyList<ProcInfo> procs) => WriteList(w, procs, Write);

    public static ProcInfo[] ReadProcInfos(WireReader r) => ReadList(r, minimumItemBytes: 48, ReadProcInfo);

    public static void Write(WireWriter w, AckCommitResult result)
    {
        w.String(result.AckedRange);
        Write(w, result.CommittedIds);
    }

    public static AckCommitResult ReadAckCommitResult(WireReader r) => new(r.String(), ReadStrings(r));

    public static void Write(WireWriter w, AckAndProcResult result)
    {
        w.String(result.AckedRange);
        Write(w, result.Claimed);
    }

    public static AckAndProcResult ReadAckAndProcResult(WireReader r) => new(r.String(), ReadEntries(r));

    /// <summary>A system proc's options; an inline processor cannot cross, and never reaches here.</summary>
    public static void Write(WireWriter w, SystemProcOptions options)
    {
        w.String(options.Name);
        w.String(options.Offset);
        Write(w, options.From);
        Write(w, options.To);
        w.String(options.Processor);
        w.I32(options.Count);
        w.I32(options.MaxReclaims);
        w.I64(options.ReclaimTimeout.Ticks);
        w.U8((byte)options.OnMaxReclaimsReached);
        w.String(options.DeadLetterTopic);
    }

    public static SystemProcOptions ReadSystemProcOptions(WireReader r) => new()
    {
        Name = r.NullableString()!,
        Offset = r.NullableString()!,
        From = ReadStrings(r),
        To = ReadStrings(r),
        Processor = r.NullableString(),
        Count = r.I32(),
        MaxReclaims = r.I32(),
        ReclaimTimeout = TimeSpan.FromTicks(r.I64()),
        OnMaxReclaimsReached = (OnMaxReclaims)r.U8(),
        DeadLetterTopic = r.NullableString(),
    };

    public static void Write(WireWriter w, GcReport report)
    {
        w.I64(report.RecordsPruned);
        w.I64(report.RecordsRelocated);
        w.I32(report.SegmentsDeleted);
        w.I32(report.IndexChunksDeleted);
        w.I64(report.BytesFreed);
        w.I64(report.Elapsed.Ticks);
    }

    public static GcReport ReadGcReport(WireReader r) => new()
    {
        RecordsPruned = r.I64(),
        RecordsRelocated = r.I64(),
        SegmentsDeleted = r.I32(),
        IndexChunksDeleted = r.I32(),
        BytesFreed = r.I64(),
        Elapsed = TimeSpan.FromTicks(r.I64()),
    };

    public static void Write(WireWriter w, EngineStats stats)
    {
        w.I32(stats.Workers.Count);
        foreach (var worker in stats.Workers)
        {
            w.I32(worker.Id);
            w.I32(worker.ProcessId);
            w.I64(worker.Executions);
            w.I64(worker.Errors);
            w.I32(worker.Restarts);
            w.I64(worker.AverageLatency.Ticks);
            w.String(worker.State);
        }
        w.I32(stats.SystemProcs.Count);
        foreach (var proc in stats.SystemProcs)
        {
            w.String(proc.Name);
            w.String(proc.Processor);
            w.I64(proc.Executions);
            w.I64(proc.Errors);
            w.I32(proc.WorkerCrashes);
            w.I64(proc.AverageLatency.Ticks);
            w.String(proc.DisabledReason);
        }
    }

    public static EngineStats ReadEngineStats(WireReader r)
    {
        var workers = new WorkerStats[r.Count(minimumItemBytes: 36)];
        for (var i = 0; i < workers.Length; i++)
            workers[i] = new WorkerStats(r.I32(), r.I32(), r.I64(), r.I64(), r.I32(), TimeSpan.FromTicks(r.I64()), r.String());
        var procs = new SystemProcStats[r.Count(minimumItemBytes: 36)];
        for (var i = 0; i < procs.Length; i++)
            procs[i] = new SystemProcStats(r.String(), r.String(), r.I64(), r.I64(), r.I32(), TimeSpan.FromTicks(r.I64()), r.NullableString());
        return new EngineStats(workers, procs);
    }

    public static void WriteError(WireWriter w, LogEngineError code, string message)
    {
        w.U8((byte)code);
        w.String(message);
    }

    private static DateTimeOffset? Time(long ticks) =>
        ticks < 0 ? null : ticks > DateTimeOffset.MaxValue.UtcTicks ? throw new WireFormatException("a time is out of range") : new DateTimeOffset(ticks, TimeSpan.Zero);
}
