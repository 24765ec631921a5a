using System.Globalization;
using System.Text;
using Engine.Bridge.Nats.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Engine.Bridge.Nats.Tests;

public sealed class ExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Hundred_thousand_records_reach_the_stream_exactly_once_in_order_with_their_ids()
    {
        await using var server = await NatsServer.StartAsync();
        await using var engine = LogEngine.OpenInMemory();
        const int Count = 100_000;
        await CommitNumbersAsync(engine, "orders", 0, Count);
        await using (NatsBridge.Start(engine, new NatsBridgeOptions
        {
            Url = server.Url,
            Namespace = "shop",
            Exports = [new NatsExport("orders", "engine.orders")],
            ExportStream = "ORDERS",
        }))
        {
            await ProcWait.WaitUntilCaughtUpAsync(engine, "nats-export/orders", Patience);
        }

        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var messages = await StreamContents.ReadAllAsync(new NatsJSContext(nats), "ORDERS");
        var records = await engine.RangeAsync("orders");
        Assert.Equal(Count, messages.Count);
        Assert.Equal(records.Select(r => r.Id), messages.Select(m => m.EngineId));
        Assert.Equal(records.Select(r => $"shop/orders/{r.Id}"), messages.Select(m => m.MsgId));
        Assert.Equal(records.Select(r => r.BodyText), messages.Select(m => Encoding.UTF8.GetString(m.Body)));
    }

    [Fact]
    public async Task A_stream_whose_limit_rejects_publishes_is_reported_clearly_and_the_proc_does_not_advance_past_it()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var js = new NatsJSContext(nats);
        var limited = new StreamConfig("LIMITED", ["limited"]) { MaxMsgs = 50, Discard = StreamConfigDiscard.New };
        await js.CreateStreamAsync(limited);
        await using var engine = LogEngine.OpenInMemory();
        await CommitNumbersAsync(engine, "t", 0, 100);
        var fault = new TaskCompletionSource<NatsBridgeFault>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (NatsBridge.Start(engine, new NatsBridgeOptions
        {
            Url = server.Url,
            Exports = [new NatsExport("t", "limited")],
            BatchSize = 10,
            RetryMin = TimeSpan.FromMilliseconds(20),
            RetryMax = TimeSpan.FromMilliseconds(100),
            OnFault = f => fault.TrySetResult(f),
        }))
        {
            var reported = await fault.Task.WaitAsync(Patience);
            Assert.Equal("export", reported.Direction);
            Assert.Contains("JetStream rejected", reported.Message, StringComparison.Ordinal);
            Assert.Contains("maximum messages", reported.Message, StringComparison.Ordinal);
            Assert.Contains("'limited'", reported.Message, StringComparison.Ordinal);
            Assert.Contains("does not advance", reported.Message, StringComparison.Ordinal);

            // Five batches of ten fitted; the sixth is refused and stays claimed, unacked.
            var proc = await engine.InspectProcAsync("nats-export/t");
            Assert.EndsWith("-49", proc.LastAckedRange, StringComparison.Ordinal);
            Assert.EndsWith("-59", proc.LastClaimedRange, StringComparison.Ordinal);
            Assert.Equal(50L, await StreamContents.CountAsync(js, "LIMITED"));

            // The bridge kept retrying: once the operator lifts the limit the rest goes through, nothing doubled.
            await js.UpdateStreamAsync(limited with { MaxMsgs = -1 });
            await ProcWait.WaitUntilCaughtUpAsync(engine, "nats-export/t", Patience);
        }
        // Retried publishes may land out of record order (the Engine-Id header says where each belongs).
        var messages = await StreamContents.ReadAllAsync(js, "LIMITED");
        Assert.Equal((await engine.RangeAsync("t")).Select(r => r.Id).Order(StringComparer.Ordinal), messages.Select(m => m.EngineId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_waits_out_a_nats_server_restart_and_loses_or_doubles_nothing()
    {
        await using var server = await NatsServer.StartAsync();
        await using var engine = LogEngine.OpenInMemory();
        await CommitNumbersAsync(engine, "t", 0, 30_000);
        await using (var bridge = NatsBridge.Start(engine, new NatsBridgeOptions
        {
            Url = server.Url,
            Exports = [new NatsExport("t", "t")],
            ExportStream = "T",
            RetryMin = TimeSpan.FromMilliseconds(20),
            RetryMax = TimeSpan.FromMilliseconds(200),
            PublishTimeout = TimeSpan.FromSeconds(1),
        }))
        {
            await Eventually.UntilAsync(() => Task.FromResult(bridge.Status.Exported >= 5_000), Patience, "5,000 records are exported");
            await server.StopAsync();
            await CommitNumbersAsync(engine, "t", 30_000, 10_000); // committed while the server is down
            Assert.True(await LastAckedSeqAsync(engine, "nats-export/t") < 30_000, "nothing committed after the server stopped can have been acked");
            await server.StartAgainAsync();
            await ProcWait.WaitUntilCaughtUpAsync(engine, "nats-export/t", Patience);
        }
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var messages = await StreamContents.ReadAllAsync(new NatsJSContext(nats), "T");
        var ids = (await engine.RangeAsync("t")).Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, messages.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), messages.Select(m => m.EngineId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Records_the_stream_already_holds_are_taken_as_duplicates_and_not_stored_twice()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var js = new NatsJSContext(nats);
        await StreamContents.CreateAsync(js, "OUT", "out");
        await using var engine = LogEngine.OpenInMemory();
        await CommitNumbersAsync(engine, "t", 0, 400);
        // What a bridge killed before its proc ack leaves behind: part of a batch already in the stream.
        var records = await engine.RangeAsync("t");
        foreach (var record in records.Take(150))
            await js.PublishAsync("out", record.Body, opts: new NatsJSPubOpts { MsgId = MessageIds.For("default", "t", record.Id) });
        await using (NatsBridge.Start(engine, new NatsBridgeOptions { Url = server.Url, Exports = [new NatsExport("t", "out")], BatchSize = 200 }))
        {
            await ProcWait.WaitUntilCaughtUpAsync(engine, "nats-export/t", Patience);
        }
        var messages = await StreamContents.ReadAllAsync(js, "OUT");
        Assert.Equal(records.Select(r => MessageIds.For("default", "t", r.Id)), messages.Select(m => m.MsgId));
    }

    private static async Task<long> LastAckedSeqAsync(ILogClient engine, string procName)
    {
        var acked = (await engine.InspectProcAsync(procName)).LastAckedRange;
        return long.Parse(acked.Split("..")[^1].Split('-')[^1], CultureInfo.InvariantCulture);
    }

    internal static async Task CommitNumbersAsync(ILogClient engine, string topic, int from, int count)
    {
        for (var start = from; start < from + count; start += 1000)
        {
            var n = Math.Min(1000, from + count - start);
            await engine.CommitAsync([.. Enumerable.Range(start, n).Select(i => new CommitLog(topic, Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))))]);
        }
    }
}
