namespace Engine;

/// <summary>
/// The engine's API, the same in-process (<see cref="LogEngine"/>) and in another process
/// (<c>Engine.Ipc.LogClient</c>). Every failure is a <see cref="LogEngineException"/>.
/// </summary>
public interface ILogClient : IAsyncDisposable
{
    /// <summary>Commits one record; the topic is created on first commit. Returns its id.</summary>
    ValueTask<string> CommitAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct = default);

    /// <summary>Commits one record whose body is <paramref name="body"/> as UTF-8 JSON.</summary>
    ValueTask<string> CommitJsonAsync<T>(string topic, T body, CancellationToken ct = default);

    /// <summary>Commits records to any topics atomically: all or none. Returns their ids in order.</summary>
    ValueTask<IReadOnlyList<string>> CommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default);

    /// <summary>Reads a slice of a topic, oldest first.</summary>
    ValueTask<IReadOnlyList<LogEntry>> RangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default);

    /// <summary>Reads a slice of a topic, newest first (<c>Start &gt;= End</c>).</summary>
    ValueTask<IReadOnlyList<LogEntry>> RevRangeAsync(string topic, RangeOptions? options = null, CancellationToken ct = default);

    /// <summary>Counts the records a topic still keeps.</summary>
    ValueTask<long> LengthAsync(string topic, CancellationToken ct = default);

    /// <summary>Claims the next records of a proc (creating it on first use); empty when none.</summary>
    ValueTask<IReadOnlyList<LogEntry>> ProcAsync(string topic, ProcOptions options, CancellationToken ct = default);

    /// <summary>Acknowledges a proc's open claim; returns the acked range.</summary>
    ValueTask<string> AckAsync(string procName, CancellationToken ct = default);

    /// <summary>
    /// Acknowledges a proc's open claim, then claims its next records: a consumer's loop in one
    /// call, and over IPC in one round trip instead of two. Fails like <see cref="AckAsync"/>
    /// (<see cref="LogEngineError.NothingToAck"/> without an open claim), and then claims nothing.
    /// The two steps are not one atomic step: if the claim fails after the ack, the ack stands, as
    /// with the two calls made one after the other.
    /// </summary>
    /// <remarks>An implementation written before this method existed gets the two calls.</remarks>
    async ValueTask<AckAndProcResult> AckAndProcAsync(string topic, ProcOptions options, CancellationToken ct = default)
    {
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "proc options are null");
        var acked = await AckAsync(options.Name, ct);
        return new AckAndProcResult(acked, await ProcAsync(topic, options, ct));
    }

    /// <summary>Acknowledges a proc's open claim and commits records, atomically.</summary>
    ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct = default);

    /// <summary>Gives a proc's open claim back; returns the range given back.</summary>
    ValueTask<string> ReclaimProcAsync(string procName, CancellationToken ct = default);

    /// <summary>A proc's state.</summary>
    ValueTask<ProcState> InspectProcAsync(string procName, CancellationToken ct = default);

    /// <summary>Forgets a proc and all of its state; returns its last state.</summary>
    ValueTask<ProcState> DestroyProcAsync(string procName, CancellationToken ct = default);

    /// <summary>Disables a proc.</summary>
    ValueTask<ProcState> DisableProcAsync(string procName, CancellationToken ct = default);

    /// <summary>Resumes a disabled proc, resetting its reclaims.</summary>
    ValueTask<ProcState> ResumeProcAsync(string procName, CancellationToken ct = default);

    /// <summary>Registers a system proc: a processor run over topics; returns the state of its procs.</summary>
    ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default);

    /// <summary>A proc that pushes new records of a topic to its reader.</summary>
    LiveProc LiveProc(string topic, LiveMode mode = LiveMode.All, int count = 1);

    /// <summary>Completes when every named (or every active) proc has acked the last record of its topic.</summary>
    /// <remarks>
    /// A named proc that is disabled while behind (or becomes so during the wait) cannot catch up:
    /// the wait fails with <see cref="LogEngineError.ProcIsDisabled"/> naming it, rather than hang
    /// or report a catch-up that did not happen. Waiting on all procs (null) waits on the active ones.
    /// </remarks>
    ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames = null, CancellationToken ct = default);

    /// <summary>Every topic that has ever had a record, by name: length, first and last kept ids.</summary>
    ValueTask<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken ct = default);

    /// <summary>Every proc (system procs' procs too), by name, with its lag.</summary>
    ValueTask<IReadOnlyList<ProcInfo>> ListProcsAsync(CancellationToken ct = default);

    /// <summary>One proc's state and lag; <see cref="LogEngineError.ProcNotFound"/> if unknown.</summary>
    ValueTask<ProcInfo> ProcInfoAsync(string procName, CancellationToken ct = default);
}
