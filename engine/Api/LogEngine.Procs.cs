using Engine.Procs;

namespace Engine;

/// <summary>Procs, live procs and waiting, on the storage core.</summary>
public sealed partial class LogEngine
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> ProcAsync(string topic, ProcOptions options, CancellationToken ct = default) =>
        _procs.ClaimAsync(topic, options, ct);

    /// <inheritdoc />
    public ValueTask<string> AckAsync(string procName, CancellationToken ct = default) => _procs.AckAsync(procName, [], ct);

    /// <inheritdoc />
    public ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct = default) =>
        _procs.AckCommitAsync(procName, logs, ct);

    /// <inheritdoc />
    public ValueTask<string> ReclaimProcAsync(string procName, CancellationToken ct = default) => _procs.ReclaimAsync(procName, ct);

    /// <inheritdoc />
    public ValueTask<ProcState> InspectProcAsync(string procName, CancellationToken ct = default) =>
        _procs.ManageAsync(procName, ProcAction.Inspect, ct);

    /// <inheritdoc />
    public ValueTask<ProcState> DestroyProcAsync(string procName, CancellationToken ct = default) =>
        _procs.ManageAsync(procName, ProcAction.Destroy, ct);

    /// <inheritdoc />
    public ValueTask<ProcState> DisableProcAsync(string procName, CancellationToken ct = default) =>
        _procs.ManageAsync(procName, ProcAction.Disable, ct);

    /// <inheritdoc />
    public ValueTask<ProcState> ResumeProcAsync(string procName, CancellationToken ct = default) =>
        _procs.ManageAsync(procName, ProcAction.Resume, ct);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default)
    {
        if (options?.InlineProcessor is not null) return _inline.StartAsync(options, ct);
        throw new LogEngineException(LogEngineError.NoValidProcessor, "DLL processors are not available in this build yet");
    }

    /// <inheritdoc />
    public LiveProc LiveProc(string topic, LiveMode mode = LiveMode.All, int count = 1)
    {
        if (!Enum.IsDefined(mode)) throw new LogEngineException(LogEngineError.InvalidArgument, $"unknown live mode {mode}");
        var options = new ProcOptions
        {
            Name = $"live-{Guid.NewGuid():N}",
            Offset = mode == LiveMode.All ? ">" : "$>",
            Count = count,
        };
        // Created now, not at the first wait, so that Live means "after this call".
        _procs.CreateAsync(topic, options).AsTask().GetAwaiter().GetResult();
        return new LiveProc(this, this, topic, options);
    }

    /// <summary>Creates a live proc's proc (the IPC host does this for a client's <see cref="LiveProc"/>).</summary>
    internal ValueTask CreateLiveProcAsync(string topic, ProcOptions options) => _procs.CreateAsync(topic, options);

    /// <inheritdoc />
    public ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames = null, CancellationToken ct = default) =>
        _procs.WaitForProcsAsync(procNames, ct);

    ValueTask<IReadOnlyList<LogEntry>> ILiveProcBackend.ClaimWhenAvailableAsync(string topic, ProcOptions options, CancellationToken ct) =>
        _procs.ClaimWhenAvailableAsync(topic, options, ct);

    ValueTask ILiveProcBackend.CreateProcAsync(string topic, ProcOptions options) => _procs.CreateAsync(topic, options);

    async ValueTask ILiveProcBackend.ForgetLiveProcAsync(string procName)
    {
        try
        {
            await _procs.ManageAsync(procName, ProcAction.Destroy, CancellationToken.None);
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.ProcNotFound or LogEngineError.Closed)
        {
            // already gone, or the engine closed first: nothing is left to forget
        }
    }
}
