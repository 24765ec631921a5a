namespace Engine;

/// <summary>Procs, system procs, live procs and waiting; implemented on the storage core (issue 3).</summary>
public sealed partial class LogEngine
{
    private static LogEngineException NotYet(string what) =>
        new(LogEngineError.Internal, $"{what} is not available in this build yet");

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> ProcAsync(string topic, ProcOptions options, CancellationToken ct = default) => throw NotYet("ProcAsync");

    /// <inheritdoc />
    public ValueTask<string> AckAsync(string procName, CancellationToken ct = default) => throw NotYet("AckAsync");

    /// <inheritdoc />
    public ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct = default) => throw NotYet("AckCommitAsync");

    /// <inheritdoc />
    public ValueTask<string> ReclaimProcAsync(string procName, CancellationToken ct = default) => throw NotYet("ReclaimProcAsync");

    /// <inheritdoc />
    public ValueTask<ProcState> InspectProcAsync(string procName, CancellationToken ct = default) => throw NotYet("InspectProcAsync");

    /// <inheritdoc />
    public ValueTask<ProcState> DestroyProcAsync(string procName, CancellationToken ct = default) => throw NotYet("DestroyProcAsync");

    /// <inheritdoc />
    public ValueTask<ProcState> DisableProcAsync(string procName, CancellationToken ct = default) => throw NotYet("DisableProcAsync");

    /// <inheritdoc />
    public ValueTask<ProcState> ResumeProcAsync(string procName, CancellationToken ct = default) => throw NotYet("ResumeProcAsync");

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default) => throw NotYet("SystemProcAsync");

    /// <inheritdoc />
    public LiveProc LiveProc(string topic, LiveMode mode = LiveMode.All, int count = 1) => throw NotYet("LiveProc");

    /// <inheritdoc />
    public ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames = null, CancellationToken ct = default) => throw NotYet("WaitForProcsAsync");

    ValueTask<IReadOnlyList<LogEntry>> ILiveProcBackend.ClaimWhenAvailableAsync(string topic, ProcOptions options, CancellationToken ct) => throw NotYet("LiveProc");

    ValueTask ILiveProcBackend.ForgetLiveProcAsync(string procName) => throw NotYet("LiveProc");
}
