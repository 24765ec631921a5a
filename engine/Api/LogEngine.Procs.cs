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
    public ValueTask<AckAndProcResult> AckAndProcAsync(string topic, ProcOptions options, CancellationToken ct = default) =>
        _procs.AckAndClaimAsync(topic, options, ct);

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
    public async ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (options?.InlineProcessor is not null) return await _inline.StartAsync(options, ct);
        SystemProcs.SystemProcNames.Validate(options);
        if (string.IsNullOrWhiteSpace(options!.Processor))
            throw new LogEngineException(LogEngineError.NoValidProcessor, $"system proc '{options.Name}' names neither a Processor DLL nor an InlineProcessor");
        if (_store.Options.Workers == 0)
            throw new LogEngineException(LogEngineError.NoValidProcessor, "DLL processors run in worker processes, and Workers is 0");
        var runtime = Runtime();
        var registration = new SystemProcs.SystemProcRegistration(options with { Processor = runtime.Resolve(options.Processor), InlineProcessor = null }, DropIn: false);
        await _procs.RegisterAsync(registration);
        runtime.Run(registration);
        var states = new List<ProcState>();
        foreach (var (_, procName) in SystemProcs.SystemProcNames.ProcsOf(options)) states.Add(await InspectProcAsync(procName, ct));
        return states;
    }

    /// <summary>Waits until a claim of the proc would return records (a worker scheduler's signal).</summary>
    internal ValueTask WaitUntilClaimableAsync(string topic, ProcOptions options, CancellationToken ct) =>
        _procs.WaitUntilClaimableAsync(topic, options, ct);

    /// <summary>The system procs registered from dropped-in DLLs.</summary>
    internal IReadOnlyList<SystemProcs.SystemProcRegistration> DropInRegistrations() =>
        _store.UnderWriteLock(() => _store.State.SystemProcs.All.Where(r => r.DropIn).ToList());

    /// <summary>Writes a registration without running it (the golden-file scenario has no workers).</summary>
    internal ValueTask WriteRegistrationAsync(SystemProcs.SystemProcRegistration registration) => _procs.RegisterAsync(registration);

    /// <summary>Registers (or updates) a system proc found in a dropped-in DLL, and runs it.</summary>
    internal async ValueTask RegisterDropInAsync(SystemProcs.SystemProcRegistration registration)
    {
        SystemProcs.SystemProcNames.Validate(registration.Options);
        await _procs.RegisterAsync(registration);
        Runtime().Run(registration);
    }

    /// <summary>Stops and forgets a system proc whose DLL was removed (its procs keep their cursors).</summary>
    internal async ValueTask UnregisterDropInAsync(string name)
    {
        await _procs.UnregisterAsync(name);
        await Runtime().StopAsync(name);
    }

    /// <summary>Figures of the worker processes and system procs (DLL and inline).</summary>
    public ValueTask<EngineStats> GetStatsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var runtime = Volatile.Read(ref _runtime)?.Stats();
        return new(new EngineStats(runtime?.Workers ?? [], [.. runtime?.SystemProcs ?? [], .. _inline.Stats()]));
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

    /// <inheritdoc cref="ILiveProcBackend.ReclaimAfterFailureAsync"/>
    internal ValueTask<string> ReclaimAfterFailureAsync(string procName, string error) =>
        _procs.ReclaimAsync(procName, CancellationToken.None, error);

    ValueTask<string> ILiveProcBackend.ReclaimAfterFailureAsync(string procName, string error) => ReclaimAfterFailureAsync(procName, error);

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
