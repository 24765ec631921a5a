using System.Threading.Channels;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Engine.Bridge.Nats;

/// <summary>
/// Feeds one topic from a durable JetStream consumer. Each batch of messages is committed together
/// with an <see cref="ImportPosition"/> record (the last stream sequence) in one atomic commit, then
/// acked to JetStream (the consumer acks "all": one ack covers the batch). A message redelivered
/// after its commit (a crash between commit and ack, an ack lost, an ack wait that ran out) has a
/// stream sequence at or below the committed one and is skipped.
///
/// Order matters for that rule, so the importer reads as NATS's ordered consumers do: it checks that
/// consumer sequences arrive without a gap, and on a gap (deliveries lost with a connection), at
/// start, or after any failure it lines the durable consumer up with the engine's state, recreating
/// it to start right after the last committed sequence when the server's idea differs.
/// </summary>
internal sealed class StreamImporter(ILogClient engine, INatsJSContext js, NatsImport spec, NatsBridgeOptions options, BridgeReporter reporter)
{
    private readonly string _durable = spec.Durable ?? BridgeSpecs.ToName($"engine-{options.Namespace}-{spec.Topic}");

    public string StateTopic => spec.StateTopic ?? $"nats-import/{spec.Stream}/{_durable}";

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(backoff, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (LogEngineException e) when (!EngineErrors.IsRetryable(e))
            {
                throw;
            }
#pragma warning disable CA1031 // the server going away, a deleted consumer, a full disk: all waited out
            catch (Exception e)
#pragma warning restore CA1031
            {
                var wait = backoff.Next();
                reporter.Fault(new NatsBridgeFault("import", spec.Topic, Describe(e), wait, e));
                await Task.Delay(wait, ct);
            }
        }
    }

    /// <summary>One run of the consumer, from the engine's committed position until a gap or a failure.</summary>
    private async Task RunSessionAsync(Backoff backoff, CancellationToken ct)
    {
        var committed = await ImportPosition.ReadAsync(engine, StateTopic, ct);
        var (consumer, expected) = await LineUpConsumerAsync(committed, ct);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<INatsJSMsg<byte[]>>(new BoundedChannelOptions(options.BatchSize * 2)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var pump = PumpAsync(consumer, channel.Writer, session.Token);
        try
        {
            var batch = new List<INatsJSMsg<byte[]>>(options.BatchSize);
            while (await channel.Reader.WaitToReadAsync(session.Token))
            {
                batch.Clear();
                var gap = false;
                while (batch.Count < options.BatchSize && channel.Reader.TryRead(out var message))
                {
                    var consumerSeq = message.Metadata?.Sequence.Consumer
                        ?? throw new NatsJSException($"a message on '{message.Subject}' came without JetStream metadata");
                    if (consumerSeq != expected)
                    {
                        gap = true; // deliveries were lost (or came out of order): start again from the engine's position
                        break;
                    }
                    expected++;
                    batch.Add(message);
                }
                if (batch.Count > 0) committed = await CommitAsync(batch, committed, session.Token);
                backoff.Reset();
                if (gap)
                {
                    reporter.Logger.LogGap(spec.Topic, committed);
                    return;
                }
            }
            throw new NatsJSException($"the consumer '{_durable}' on stream '{spec.Stream}' stopped delivering");
        }
        finally
        {
            await session.CancelAsync();
            await pump;
        }
    }

    /// <summary>
    /// Keeps the durable consumer when the server's position is exactly the engine's (nothing
    /// delivered past the last commit); else recreates it to start right after that commit.
    /// Returns the consumer and the consumer sequence its next delivery will carry.
    /// </summary>
    private async Task<(INatsJSConsumer Consumer, ulong NextConsumerSeq)> LineUpConsumerAsync(ulong committed, CancellationToken ct)
    {
        try
        {
            var existing = await js.GetConsumerAsync(spec.Stream, _durable, ct);
            var info = existing.Info;
            if (info.Config.FilterSubject == spec.Subject && info.Config.AckPolicy == ConsumerConfigAckPolicy.All
                && info.Delivered.StreamSeq == committed && info.AckFloor.StreamSeq == committed)
                return (existing, info.Delivered.ConsumerSeq + 1);
            await js.DeleteConsumerAsync(spec.Stream, _durable, ct);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            // not created yet (a missing stream fails below, with its own message)
        }
        var config = new ConsumerConfig(_durable)
        {
            FilterSubject = spec.Subject,
            AckPolicy = ConsumerConfigAckPolicy.All,
            AckWait = options.ImportAckWait,
            MaxAckPending = options.BatchSize * 4,
            DeliverPolicy = committed == 0 ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = committed == 0 ? 0 : committed + 1,
        };
        return (await js.CreateOrUpdateConsumerAsync(spec.Stream, config, ct), 1);
    }

    /// <summary>Moves deliveries into the bounded channel (its bound is the import's back-pressure) until cancelled or failed.</summary>
    private async Task PumpAsync(INatsJSConsumer consumer, ChannelWriter<INatsJSMsg<byte[]>> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = options.BatchSize }, cancellationToken: ct))
                await writer.WriteAsync(message, ct);
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            writer.TryComplete();
        }
#pragma warning disable CA1031 // handed to the reader, which reports it and starts a new session
        catch (Exception e)
#pragma warning restore CA1031
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>Commits the batch's new messages with their position, atomically, then acks the batch. Returns the new position.</summary>
    private async Task<ulong> CommitAsync(List<INatsJSMsg<byte[]>> batch, ulong committed, CancellationToken ct)
    {
        var logs = new List<CommitLog>(batch.Count + 1);
        var last = committed;
        var skipped = 0;
        foreach (var message in batch)
        {
            var streamSeq = message.Metadata!.Value.Sequence.Stream;
            if (streamSeq <= last)
            {
                skipped++; // committed before: a redelivery
                continue;
            }
            logs.Add(new CommitLog(spec.Topic, message.Data ?? []));
            last = streamSeq;
        }
        if (logs.Count > 0)
        {
            logs.Add(new ImportPosition(spec.Stream, last).ToLog(StateTopic));
            await CommitWithRetryAsync(logs, last, ct);
            reporter.Imported(logs.Count - 1);
        }
        if (skipped > 0) reporter.Skipped(skipped);
        try
        {
            await batch[^1].AckAsync(cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // committed already: the redelivery this causes is recognised and skipped
            reporter.Logger.LogAckLost(spec.Topic, e);
        }
        return last;
    }

    /// <summary>
    /// Commits, waiting out engine failures. A failure whose outcome is unknown (a host connection
    /// lost mid-call) is settled by reading the position back: if it reached <paramref name="last"/>
    /// the batch is in, and committing it again would double it.
    /// </summary>
    private async Task CommitWithRetryAsync(List<CommitLog> logs, ulong last, CancellationToken ct)
    {
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (true)
        {
            try
            {
                await engine.CommitAsync(logs, ct);
                return;
            }
            catch (LogEngineException e) when (EngineErrors.IsRetryable(e))
            {
                var wait = backoff.Next();
                reporter.Fault(new NatsBridgeFault("import", spec.Topic, $"the engine refused the commit: {e.Code}: {e.Message}", wait, e));
                await Task.Delay(wait, ct);
                if (await ImportPosition.ReadAsync(engine, StateTopic, ct) >= last) return;
            }
        }
    }

    private string Describe(Exception e) => e switch
    {
        NatsJSApiException { Error.Code: 404 } api => $"stream '{spec.Stream}' or its consumer is missing: {api.Error.Description}",
        NatsJSApiException api => $"JetStream refused: {api.Error.Description} (err_code {api.Error.ErrCode})",
        LogEngineException engineError => $"the engine failed: {engineError.Code}: {engineError.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
