using Engine.Ipc.Protocol;

namespace Engine.Ipc;

/// <summary>Procs, live procs and waiting over the connection; waits are requests the host answers when they end.</summary>
public sealed partial class LogClient
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<LogEntry>> ProcAsync(string topic, ProcOptions options, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "proc options are null");
        var frame = _connection.StartRequest(Op.Proc, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        return Codec.ReadEntries(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<AckAndProcResult> AckAndProcAsync(string topic, ProcOptions options, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "proc options are null");
        if (!_connection.HostHas(Wire.FeatureAckAndProc))
        {
            // A host from before the op: the same two steps, in two round trips.
            var acked = await AckAsync(options.Name, ct);
            return new AckAndProcResult(acked, await ProcAsync(topic, options, ct));
        }
        var frame = _connection.StartRequest(Op.AckAndProc, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        return Codec.ReadAckAndProcResult(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<string> AckAsync(string procName, CancellationToken ct = default) =>
        (await CallWithNameAsync(Op.Ack, procName, ct)).String();

    /// <inheritdoc />
    public async ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Engine.Log.CommitLimits.ValidateLogs(logs, allowEmpty: true);
        var frame = _connection.StartRequest(Op.AckCommit, out var id);
        frame.Writer.String(procName);
        Codec.Write(frame.Writer, logs);
        return Codec.ReadAckCommitResult(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<string> ReclaimProcAsync(string procName, CancellationToken ct = default) =>
        (await CallWithNameAsync(Op.Reclaim, procName, ct)).String();

    /// <inheritdoc />
    public async ValueTask<ProcState> InspectProcAsync(string procName, CancellationToken ct = default) =>
        Codec.ReadProcState(await CallWithNameAsync(Op.Inspect, procName, ct));

    /// <inheritdoc />
    public async ValueTask<ProcState> DestroyProcAsync(string procName, CancellationToken ct = default) =>
        Codec.ReadProcState(await CallWithNameAsync(Op.Destroy, procName, ct));

    /// <inheritdoc />
    public async ValueTask<ProcState> DisableProcAsync(string procName, CancellationToken ct = default) =>
        Codec.ReadProcState(await CallWithNameAsync(Op.Disable, procName, ct));

    /// <inheritdoc />
    public async ValueTask<ProcState> ResumeProcAsync(string procName, CancellationToken ct = default) =>
        Codec.ReadProcState(await CallWithNameAsync(Op.Resume, procName, ct));

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ProcState>> SystemProcAsync(SystemProcOptions options, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "system proc options are null");
        if (options.InlineProcessor is not null) return await _inline.StartAsync(options, ct);
        var frame = _connection.StartRequest(Op.SystemProc, out var id);
        Codec.Write(frame.Writer, options);
        return Codec.ReadProcStates(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public LiveProc LiveProc(string topic, LiveMode mode = LiveMode.All, int count = 1)
    {
        _connection.ThrowIfUnusable();
        ValidateName(topic, "topic");
        if (!Enum.IsDefined(mode)) throw new LogEngineException(LogEngineError.InvalidArgument, $"unknown live mode {mode}");
        if (count < 1) throw new LogEngineException(LogEngineError.InvalidArgument, $"count {count}: claim at least one record");
        var options = new ProcOptions
        {
            Name = $"live-{Guid.NewGuid():N}",
            Offset = mode == LiveMode.All ? ">" : "$>",
            Count = count,
        };
        // Sent now and not awaited (this call is synchronous): requests on a connection are handled
        // in order, so the proc exists, with its start fixed, before the first claim arrives.
        var frame = _connection.StartRequest(Op.CreateLiveProc, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        _connection.Post(frame, id);
        return new LiveProc(this, this, topic, options);
    }

    /// <inheritdoc />
    public async ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(Op.WaitForProcs, out var id);
        frame.Writer.Bool(procNames is not null);
        if (procNames is not null) Codec.Write(frame.Writer, procNames);
        await _connection.CallAsync(frame, id, ct, cancellable: true);
    }

    async ValueTask<IReadOnlyList<LogEntry>> ILiveProcBackend.ClaimWhenAvailableAsync(string topic, ProcOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested(); // as in-process: a wait already given up on claims nothing
        var frame = _connection.StartRequest(Op.ClaimWhenAvailable, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        return Codec.ReadEntries(await _connection.CallAsync(frame, id, ct, cancellable: true,
            abandonedResult: late => GiveBack(options.Name, Codec.ReadEntries(late))));
    }

    /// <summary>A batch claimed for a wait its caller gave up on goes back, so nothing stays claimed by nobody.</summary>
    private void GiveBack(string procName, LogEntry[] entries)
    {
        if (entries.Length == 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await ReclaimProcAsync(procName);
            }
            catch (LogEngineException)
            {
                // acked or reclaimed meanwhile, or the connection is gone: nothing to give back
            }
        });
    }

    async ValueTask ILiveProcBackend.CreateProcAsync(string topic, ProcOptions options)
    {
        var frame = _connection.StartRequest(Op.CreateLiveProc, out var id);
        frame.Writer.String(topic);
        Codec.Write(frame.Writer, options);
        await _connection.CallAsync(frame, id, CancellationToken.None);
    }

    async ValueTask ILiveProcBackend.ForgetLiveProcAsync(string procName)
    {
        try
        {
            await CallWithNameAsync(Op.ForgetLiveProc, procName, CancellationToken.None);
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.ConnectionFailed or LogEngineError.Closed)
        {
            // the host is gone or this client is closing: there is nothing left to forget
        }
    }

    async ValueTask<string> ILiveProcBackend.ReclaimAfterFailureAsync(string procName, string error)
    {
        var frame = _connection.StartRequest(Op.Reclaim, out var id);
        frame.Writer.String(procName);
        frame.Writer.String(error);
        return (await _connection.CallAsync(frame, id, CancellationToken.None)).String();
    }

    private ValueTask<WireReader> CallWithNameAsync(Op op, string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(op, out var id);
        frame.Writer.String(name);
        return _connection.CallAsync(frame, id, ct);
    }
}
