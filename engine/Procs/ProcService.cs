using Engine.Ids;
using Engine.Telemetry;
using Engine.Topics;

namespace Engine.Procs;

/// <summary>
/// The proc API of <see cref="LogEngine"/>: each call is a <see cref="ProcOperation"/> run under
/// the store's write lock and written as one frame (with its records, for an ack-commit), then,
/// outside the lock, the claimed records are read. Waiting calls (live procs,
/// <see cref="WaitForProcsAsync"/>) arm a topic signal, look, and sleep until the writer pulses.
/// </summary>
internal sealed class ProcService(Store store)
{
    private static readonly TimeSpan MaxReclaimTimeout = TimeSpan.FromDays(365);
    private readonly ProcContext _context = new(store);

    public async ValueTask<IReadOnlyList<LogEntry>> ClaimAsync(string topic, ProcOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Validate(topic, options);
        using var activity = EngineActivities.StartProc("receive", options.Name, topic);
        var claim = new ClaimOperation(_context, topic, options);
        await ExecuteAsync(claim, []);
        return Claimed(Records(claim), activity);
    }

    /// <summary>Counts a claim's records (a claim that found nothing is not counted).</summary>
    private static IReadOnlyList<LogEntry> Claimed(IReadOnlyList<LogEntry> records, System.Diagnostics.Activity? activity)
    {
        activity?.SetTag(EngineActivities.BatchCount, records.Count);
        if (records.Count == 0) return records;
        if (EngineMetrics.Claims.Enabled) EngineMetrics.Claims.Add(1);
        if (EngineMetrics.ConsumedMessages.Enabled) EngineMetrics.ConsumedMessages.Add(records.Count);
        return records;
    }

    /// <summary>Claims the next batch, waiting without polling until there is one.</summary>
    public async ValueTask<IReadOnlyList<LogEntry>> ClaimWhenAvailableAsync(string topic, ProcOptions options, CancellationToken ct)
    {
        Validate(topic, options);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var changed = store.Signals.Next(topic);
            var claim = new ClaimOperation(_context, topic, options);
            await ExecuteAsync(claim, []);
            if (!claim.Claimed.IsEmpty) return Claimed(Records(claim), null);
            if (claim.OpenClaimExpiresAtMs is { } expiresAt)
            {
                // An open claim blocks until it is settled (which pulses the topic) or times out.
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var wait = TimeSpan.FromMilliseconds(Math.Max(0, expiresAt - _context.NowMs()));
                var timeout = Task.Delay(wait, store.Clock, timer.Token);
                await Task.WhenAny(changed, timeout).WaitAsync(ct);
                await timer.CancelAsync();
            }
            else
            {
                await changed.WaitAsync(ct);
            }
        }
    }

    /// <summary>
    /// Waits, without claiming and without polling, until a claim of the proc would return
    /// records: it is active, its claim (if any) is settled or timed out, and its topic has records
    /// past its cursor. A scheduler uses it to take a worker slot only for a proc with work.
    /// </summary>
    public async ValueTask WaitUntilClaimableAsync(string topic, ProcOptions options, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var changed = store.Signals.Next(topic);
            var (claimable, expiresAt) = store.UnderWriteLock(() => Claimable(topic, options.Name));
            if (claimable) return;
            if (expiresAt is { } at)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var timeout = Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, at - _context.NowMs())), store.Clock, timer.Token);
                await Task.WhenAny(changed, timeout).WaitAsync(ct);
                await timer.CancelAsync();
            }
            else
            {
                await changed.WaitAsync(ct);
            }
        }
    }

    private (bool Claimable, long? ExpiresAt) Claimable(string topicName, string procName)
    {
        var proc = _context.Procs.ByName(procName);
        if (proc is null || proc.Status != ProcStatus.Active) return (false, null);
        if (proc.HasOpenClaim && _context.NowMs() < proc.ClaimExpiresAtMs) return (false, proc.ClaimExpiresAtMs);
        var topic = _context.TopicOf(topicName);
        if (topic is null) return (false, null);
        using var gate = store.EnterReadGate();
        return (_context.Cursor(proc, topic) < topic.NextSeq, null);
    }

    /// <summary>Writes a DLL system proc's registration, creating its procs, in one frame.</summary>
    public async ValueTask RegisterAsync(SystemProcs.SystemProcRegistration registration) =>
        await ExecuteAsync(SystemProcs.RegisterOperation.Register(_context, registration), []);

    /// <summary>Removes a DLL system proc's registration (its procs stay, with their cursors).</summary>
    public async ValueTask UnregisterAsync(string name) =>
        await ExecuteAsync(SystemProcs.RegisterOperation.Remove(_context, name), []);

    /// <summary>Acks the open claim (and commits <paramref name="logs"/> with it); given <paramref name="topicToClaim"/>, a proc of another topic is refused before anything is acked.</summary>
    public async ValueTask<string> AckAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct, string? topicToClaim = null)
    {
        ct.ThrowIfCancellationRequested();
        Names.Validate(procName, "proc");
        using var activity = EngineActivities.StartProc("ack", procName);
        var ack = new AckOperation(_context, procName, topicToClaim);
        await ExecuteAsync(ack, logs);
        EngineMetrics.Acks.Add(1);
        return ack.Acked.ToString();
    }

    /// <summary>
    /// An ack, then a claim: two operations, each under the write lock and in a frame of its own
    /// (the claim decides on the state the ack's frame left). The options, and that the proc reads
    /// this topic, are checked before the ack, so a call the claim would refuse acks nothing.
    /// </summary>
    public async ValueTask<AckAndProcResult> AckAndClaimAsync(string topic, ProcOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Validate(topic, options);
        var acked = await AckAsync(options.Name, [], ct, topicToClaim: topic);
        // Once acked, the claim goes ahead: a cancellation now would hide that the ack happened.
        return new AckAndProcResult(acked, await ClaimAsync(topic, options, CancellationToken.None));
    }

    public async ValueTask<AckCommitResult> AckCommitAsync(string procName, IReadOnlyList<CommitLog> logs, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Names.Validate(procName, "proc");
        Log.CommitLimits.ValidateLogs(logs, allowEmpty: true);
        using var activity = EngineActivities.StartProc("ack", procName);
        activity?.SetTag(EngineActivities.BatchCount, logs.Count);
        var ack = new AckOperation(_context, procName);
        var receipt = await ExecuteAsync(ack, logs);
        EngineMetrics.Acks.Add(1);
        if (logs.Count > 0 && (EngineMetrics.Commits.Enabled || EngineMetrics.SentMessages.Enabled || EngineMetrics.CommittedBytes.Enabled))
            EngineMetrics.Committed(logs.Count, logs.Sum(l => (long)l.Body.Length));
        return new AckCommitResult(ack.Acked.ToString(), receipt.Ids());
    }

    public async ValueTask<string> ReclaimAsync(string procName, CancellationToken ct, string? error = null)
    {
        ct.ThrowIfCancellationRequested();
        Names.Validate(procName, "proc");
        using var activity = EngineActivities.StartProc("reclaim", procName);
        var reclaim = new ReclaimOperation(_context, procName, error);
        await ExecuteAsync(reclaim, []);
        EngineMetrics.Reclaims.Add(1);
        return reclaim.Reclaimed.ToString();
    }

    public async ValueTask<ProcState> ManageAsync(string procName, ProcAction action, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Names.Validate(procName, "proc");
        // A read-only store cannot settle an expired claim: it is shown as it stands, as List does.
        if (action == ProcAction.Inspect && store.IsReadOnly)
            return store.UnderWriteLock(() => (_context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName)).ToState());
        var manage = new ManageOperation(_context, procName, action);
        await ExecuteAsync(manage, []);
        return manage.Before ?? store.UnderWriteLock(() => (_context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName)).ToState());
    }

    /// <summary>Every proc, by name (ordinal), with its lag; writes nothing (an expired claim is shown as it stands).</summary>
    public IReadOnlyList<ProcInfo> List(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return store.UnderWriteLock(() => _context.Procs.All
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => ProcLag.Of(_context, p))
            .ToList());
    }

    /// <summary>One proc with its lag; an expired claim is settled first, as inspect does.</summary>
    public async ValueTask<ProcInfo> InfoAsync(string procName, CancellationToken ct)
    {
        await ManageAsync(procName, ProcAction.Inspect, ct);
        return store.UnderWriteLock(() => ProcLag.Of(_context, _context.Procs.ByName(procName) ?? throw ProcErrors.NotFound(procName)));
    }

    /// <summary>Makes a live proc's proc exist now, so that <c>"$&gt;"</c> means after this call.</summary>
    public async ValueTask CreateAsync(string topic, ProcOptions options)
    {
        Validate(topic, options);
        await ExecuteAsync(new ClaimOperation(_context, topic, options, createOnly: true), []);
    }

    /// <summary>
    /// Completes once every named (or every active) proc has acked the last record of its topic;
    /// fails with <see cref="LogEngineError.ProcIsDisabled"/> if a named proc is (or becomes)
    /// disabled while behind.
    /// </summary>
    public async ValueTask WaitForProcsAsync(IReadOnlyList<string>? procNames, CancellationToken ct)
    {
        if (procNames is not null) foreach (var name in procNames) Names.Validate(name, "proc");
        var first = true;
        var topics = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var signals = topics.Select(store.Signals.Next).ToList();
            var look = Interlocked.Increment(ref _waitLooks);
            var (done, pending) = store.UnderWriteLock(() => Evaluate(procNames, first));
            first = false;
            if (done) return;
            if (!pending.SetEquals(topics))
            {
                topics = pending; // look again with signals armed for every topic that matters now
                continue;
            }
            WaitParked?.Invoke(look);
            await Task.WhenAny(signals).WaitAsync(ct);
        }
    }

    private long _waitLooks;

    /// <summary>How many looks waits have taken so far (each under the write lock, so a look numbered
    /// above this count sees everything done before it was read).</summary>
    internal long WaitLooks => Interlocked.Read(ref _waitLooks);

    /// <summary>
    /// For tests: told, with the look's number, whenever a wait found procs behind and went to sleep
    /// until a commit or ack wakes it. Lets a test show a wait is pending by an event, not a delay.
    /// </summary>
    internal event Action<long>? WaitParked;

    /// <summary>For tests: wakes every wait to look again.</summary>
    internal void WakeWaits() => store.Signals.PulseAll();

    private (bool Done, HashSet<string> Pending) Evaluate(IReadOnlyList<string>? procNames, bool strict)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<ProcRecord?> procs = procNames is null
            ? _context.Procs.All
            : procNames.Select(name => _context.Procs.ByName(name) ?? (strict ? throw ProcErrors.NotFound(name) : null));
        using var gate = store.EnterReadGate();
        foreach (var proc in procs)
        {
            if (proc is null) continue;
            var topic = _context.TopicOf(proc.Topic);
            if (topic is null || _context.Cursor(proc, topic) >= topic.NextSeq) continue;
            if (proc.Status == ProcStatus.Active) pending.Add(proc.Topic);
            // A disabled proc that is behind never catches up: waiting on it by name would hang,
            // and skipping it would report a catch-up that did not happen. (Waiting on all procs
            // means the active ones, as documented.)
            else if (procNames is not null) throw ProcErrors.Disabled(proc.Name, "it cannot catch up while disabled");
        }
        return (pending.Count == 0, pending);
    }

    private async ValueTask<Store.CommitReceipt> ExecuteAsync(ProcOperation operation, IReadOnlyList<CommitLog> logs)
    {
        var receipt = Guard.Run(() => store.Commit(logs, operation), "writing proc state");
        await store.WaitDurableAsync(receipt);
        // Any operation may settle an expired claim, and under DeadLetter that moves its records.
        if (operation.Records.Count > 0 && EngineMetrics.DeadLetters.Enabled)
            EngineMetrics.DeadLetters.Add(operation.Records.Count, new KeyValuePair<string, object?>(EngineActivities.ConsumerGroup, operation.DeadLetteredProc));
        if (operation.FailAfterWrite is { } failure) throw failure;
        return receipt;
    }

    private IReadOnlyList<LogEntry> Records(ClaimOperation claim) =>
        claim.Claimed.IsEmpty ? [] : store.ReadSeqs(claim.Topic!, claim.Claimed.FirstSeq, claim.Claimed.Count);

    private static void Validate(string topic, ProcOptions options)
    {
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "proc options are null");
        Names.Validate(topic, "topic");
        Names.Validate(options.Name, "proc");
        if (options.Offset is not (">" or "$>") && RangeBound.Parse(options.Offset, "offset").Kind == BoundKind.Open)
            throw new LogEngineException(LogEngineError.InvalidRangeOffset, "offset is empty: use \">\", \"$>\" or a range bound");
        if (options.Count < 1) throw new LogEngineException(LogEngineError.InvalidArgument, $"count {options.Count}: claim at least one record");
        if (options.MaxReclaims < -1) throw new LogEngineException(LogEngineError.InvalidArgument, $"maxReclaims {options.MaxReclaims}: use -1 for no limit");
        if (options.ReclaimTimeout <= TimeSpan.Zero || options.ReclaimTimeout > MaxReclaimTimeout)
            throw new LogEngineException(LogEngineError.InvalidArgument, $"reclaim timeout {options.ReclaimTimeout} must be positive and at most {MaxReclaimTimeout.TotalDays} days");
        if (!Enum.IsDefined(options.OnMaxReclaimsReached))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"unknown OnMaxReclaimsReached {options.OnMaxReclaimsReached}");
        ValidateDeadLetterTopic(topic, options);
    }

    /// <summary>A dead-letter topic must be a valid name and not the proc's own topic (its records would come back to it).</summary>
    public static void ValidateDeadLetterTopic(string topic, ProcOptions options)
    {
        if (options.DeadLetterTopic is not null) Names.Validate(options.DeadLetterTopic, "dead-letter topic");
        if (ClaimOperation.DeadLetterTopicOf(options) is not { } deadLetter) return;
        Names.Validate(deadLetter, "dead-letter topic");
        if (deadLetter == topic) throw new LogEngineException(LogEngineError.InvalidArgument, $"proc '{options.Name}' reads '{topic}': its dead-letter topic must be another");
    }
}
