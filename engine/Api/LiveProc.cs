using System.Runtime.CompilerServices;

namespace Engine;

/// <summary>
/// A proc that pushes batches: <see cref="ChangesAsync"/> yields a batch as soon as one can be
/// claimed, and the reader acks, ack-commits or reclaims it before the next one comes. Nothing
/// polls: the engine (or, over IPC, the host) completes the wait when records arrive, when the
/// open claim is settled, or when it times out.
/// </summary>
public sealed class LiveProc : IAsyncDisposable
{
    private readonly ILogClient _client;
    private readonly ILiveProcBackend _backend;
    private readonly string _topic;
    private readonly ProcOptions _options;
    private readonly CancellationTokenSource _stopped = new();
    private int _disposed;

    internal LiveProc(ILogClient client, ILiveProcBackend backend, string topic, ProcOptions options)
    {
        _client = client;
        _backend = backend;
        _topic = topic;
        _options = options;
    }

    /// <summary>The name of the proc underneath.</summary>
    public string Name => _options.Name;

    /// <summary>
    /// Yields each batch as it becomes claimable. Ends quietly after <see cref="CancelAsync"/> or
    /// disposal; <paramref name="ct"/> cancels it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<LogEntry>> ChangesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopped.Token);
        while (true)
        {
            IReadOnlyList<LogEntry> batch;
            try
            {
                batch = await _backend.ClaimWhenAvailableAsync(_topic, _options, linked.Token);
            }
            catch (OperationCanceledException) when (_stopped.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                yield break;
            }
            yield return batch;
        }
    }

    /// <summary>Acknowledges the batch last yielded.</summary>
    public ValueTask<string> AckAsync(CancellationToken ct = default) => _client.AckAsync(Name, ct);

    /// <summary>Acknowledges the batch last yielded and commits records, atomically.</summary>
    public ValueTask<AckCommitResult> AckCommitAsync(IReadOnlyList<CommitLog> logs, CancellationToken ct = default) =>
        _client.AckCommitAsync(Name, logs, ct);

    /// <summary>Gives the batch last yielded back; it will be yielded again.</summary>
    public ValueTask<string> ReclaimAsync(CancellationToken ct = default) => _client.ReclaimProcAsync(Name, ct);

    /// <summary>The proc's state.</summary>
    public ValueTask<ProcState> InspectAsync(CancellationToken ct = default) => _client.InspectProcAsync(Name, ct);

    /// <summary>Destroys the proc underneath.</summary>
    public ValueTask<ProcState> DestroyAsync(CancellationToken ct = default) => _client.DestroyProcAsync(Name, ct);

    /// <summary>Disables the proc underneath.</summary>
    public ValueTask<ProcState> DisableAsync(CancellationToken ct = default) => _client.DisableProcAsync(Name, ct);

    /// <summary>Resumes the proc underneath.</summary>
    public ValueTask<ProcState> ResumeAsync(CancellationToken ct = default) => _client.ResumeProcAsync(Name, ct);

    /// <summary>Stops yielding: a pending <see cref="ChangesAsync"/> ends without another batch.</summary>
    public ValueTask CancelAsync()
    {
        if (Volatile.Read(ref _disposed) == 0) _stopped.Cancel(); // after disposal it has stopped already
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Stops yielding and destroys the proc underneath: its name was generated for this object, so
    /// nothing could use its cursor again, and leaving it would block <c>WaitForProcsAsync</c>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopped.Cancel();
        try
        {
            await _backend.ForgetLiveProcAsync(Name);
        }
        finally
        {
            _stopped.Dispose();
        }
    }
}
