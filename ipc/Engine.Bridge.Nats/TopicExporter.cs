using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Engine.Bridge.Nats;

/// <summary>
/// Publishes one topic to JetStream. Progress is an ordinary proc: a batch is claimed, every record
/// of it is published with <c>Nats-Msg-Id</c> = <c>namespace/topic/id</c>, and the claim is acked
/// only once JetStream has acknowledged every one of those publishes. A failed publish is retried
/// with backoff, forever: the proc does not advance past a record JetStream has not stored. After a
/// crash the open claim is given back and published again; JetStream drops what it already has.
/// </summary>
internal sealed class TopicExporter(ILogClient engine, NatsConnection nats, INatsJSContext js, NatsExport export, NatsBridgeOptions options, BridgeReporter reporter)
{
    private const int IdleWaitMaxMs = 20;

    public async Task RunAsync(CancellationToken ct)
    {
        var procOptions = new ProcOptions
        {
            Name = export.ProcName,
            Count = options.BatchSize,
            MaxReclaims = -1, // a bridge that keeps failing must never disable its own proc
            ReclaimTimeout = TimeSpan.FromDays(1), // the bridge retries itself; a reclaim would only duplicate work
        };
        var engineBackoff = new Backoff(options.RetryMin, options.RetryMax);
        var idleMs = 1;
        await GiveBackOpenClaimAsync(ct);
        await ConnectAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<LogEntry> batch;
            try
            {
                batch = await engine.ProcAsync(export.Topic, procOptions, ct);
                engineBackoff.Reset();
            }
            catch (LogEngineException e) when (EngineErrors.IsRetryable(e))
            {
                await WaitOutAsync($"the engine refused the claim: {e.Code}: {e.Message}", engineBackoff.Next(), e, ct);
                continue;
            }
            if (batch.Count == 0)
            {
                // Nothing new. ILogClient has no named, persistent live proc to wait on, so this polls,
                // backing off to a few milliseconds while the topic is quiet.
                await Task.Delay(idleMs, ct);
                idleMs = Math.Min(IdleWaitMaxMs, idleMs * 2);
                continue;
            }
            idleMs = 1;
            await PublishAllAsync(batch, ct);
            await AckAsync(ct);
            reporter.Exported(batch.Count);
        }
    }

    /// <summary>
    /// Waits for the first connection before publishing anything: publishes queued while the client
    /// connects go out in no particular order, and while the connection is up they keep record order.
    /// </summary>
    private async Task ConnectAsync(CancellationToken ct)
    {
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (nats.ConnectionState != NatsConnectionState.Open)
        {
            try
            {
                await nats.ConnectAsync();
            }
            catch (NatsException e)
            {
                await WaitOutAsync($"cannot reach the NATS server at {options.Url}: {e.Message}", backoff.Next(), e, ct);
            }
        }
    }

    /// <summary>A claim left open by a bridge that died: give it back so it is published again (duplicates are dropped by JetStream).</summary>
    private async Task GiveBackOpenClaimAsync(CancellationToken ct)
    {
        try
        {
            await engine.ReclaimProcAsync(export.ProcName, ct);
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.ProcNotFound or LogEngineError.NothingToReclaim)
        {
            // first run, or a clean stop
        }
    }

    private async Task AckAsync(CancellationToken ct)
    {
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (true)
        {
            try
            {
                await engine.AckAsync(export.ProcName, ct);
                return;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.NothingToAck)
            {
                return; // the claim was reclaimed meanwhile: it comes again and JetStream drops the duplicates
            }
            catch (LogEngineException e) when (EngineErrors.IsRetryable(e))
            {
                await WaitOutAsync($"the engine refused the ack: {e.Code}: {e.Message}", backoff.Next(), e, ct);
            }
        }
    }

    /// <summary>Publishes every record of the batch, retrying the failed ones until JetStream has acknowledged all.</summary>
    private async Task PublishAllAsync(IReadOnlyList<LogEntry> batch, CancellationToken ct)
    {
        var pending = batch;
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (true)
        {
            var (failed, firstError) = await PublishOnceAsync(pending, ct);
            if (failed.Count == 0) return;
            var (message, exception) = firstError!.Value;
            await WaitOutAsync($"{failed.Count} of {pending.Count} publishes failed, first {message}; the proc '{export.ProcName}' does not advance until JetStream accepts them",
                backoff.Next(), exception, ct);
            pending = failed;
        }
    }

    /// <summary>One pass over <paramref name="entries"/> with at most <see cref="NatsBridgeOptions.MaxInFlight"/> publishes unacknowledged.</summary>
    private async Task<(List<LogEntry> Failed, (string Message, Exception? Exception)? FirstError)> PublishOnceAsync(
        IReadOnlyList<LogEntry> entries, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(options.MaxInFlight);
        var results = new Task<(string, Exception?)?>[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            await gate.WaitAsync(ct);
            results[i] = PublishOneAsync(entries[i], gate, ct);
        }
        await Task.WhenAll(results);
        var failed = new List<LogEntry>();
        (string, Exception?)? first = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (results[i].Result is not { } error) continue;
            failed.Add(entries[i]);
            first ??= error;
        }
        return (failed, first);
    }

    /// <summary>Null when JetStream stored the record (or already had it); else what went wrong.</summary>
    private async Task<(string, Exception?)?> PublishOneAsync(LogEntry entry, SemaphoreSlim gate, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.PublishTimeout);
            var headers = new NatsHeaders
            {
                { MessageIds.TopicHeader, export.Topic },
                { MessageIds.IdHeader, entry.Id },
            };
            var opts = new NatsJSPubOpts { MsgId = MessageIds.For(options.Namespace, export.Topic, entry.Id) };
            var ack = await js.PublishAsync(export.Subject, entry.Body, opts: opts, headers: headers, cancellationToken: timeout.Token);
            // Not EnsureSuccess: it throws for a duplicate, and a duplicate is this design working
            // (a resend after a crash that JetStream already holds).
            if (ack.Error is { } error) throw new NatsJSApiException(error);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // every failure of one publish is reported and that publish retried; none may be lost
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (Describe(entry, e), e);
        }
        finally
        {
            gate.Release();
        }
    }

    private string Describe(LogEntry entry, Exception e)
    {
        var what = $"record {entry.Id} to '{export.Subject}'";
        return e switch
        {
            NatsJSApiException api => $"JetStream rejected {what}: {api.Error.Description} (err_code {api.Error.ErrCode})",
            NatsNoRespondersException or NatsJSPublishNoResponseException => $"no JetStream stream captures '{export.Subject}' (publish of {what} had no responder)",
            OperationCanceledException => $"no ack for {what} within {options.PublishTimeout} (server slow or unreachable)",
            _ => $"publish of {what} failed: {e.GetType().Name}: {e.Message}",
        };
    }

    private async Task WaitOutAsync(string message, TimeSpan wait, Exception? exception, CancellationToken ct)
    {
        reporter.Fault(new NatsBridgeFault("export", export.Topic, message, wait, exception));
        await Task.Delay(wait, ct);
    }
}
