using System.Globalization;
using System.Text;
using Engine.Bridge.Nats.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Engine.Bridge.Nats.Tests;

public sealed class ImportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Imported_messages_are_committed_once_in_stream_order_with_their_position_beside_them()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var js = new NatsJSContext(nats);
        await StreamContents.CreateAsync(js, "IN", "in.>");
        await PublishNumbersAsync(js, "in.a", 0, 5_000);
        await PublishNumbersAsync(js, "in.b", 0, 100); // filtered out
        await using var engine = LogEngine.OpenInMemory();
        var options = new NatsBridgeOptions { Url = server.Url, Imports = [new NatsImport("IN", "in.a", "imported")] };
        await using (var bridge = NatsBridge.Start(engine, options))
        {
            await Eventually.UntilAsync(async () => await LengthAsync(engine, "imported") == 5_000, Patience, "5,000 messages are imported");
        }
        // A second run picks up where the first stopped: only the new messages come in.
        await PublishNumbersAsync(js, "in.a", 5_000, 1_000);
        await using (var bridge = NatsBridge.Start(engine, options))
        {
            await Eventually.UntilAsync(async () => await LengthAsync(engine, "imported") >= 6_000, Patience, "6,000 messages are imported");
        }
        var records = await engine.RangeAsync("imported");
        Assert.Equal(Enumerable.Range(0, 6_000).Select(i => i.ToString(CultureInfo.InvariantCulture)), records.Select(r => r.BodyText));
        var state = await engine.RevRangeAsync("nats-import/IN/engine-default-imported", new RangeOptions { Limit = 1 });
        Assert.Equal("{\"stream\":\"IN\",\"seq\":6100}", state[0].BodyText); // in.b's 100 sit at 5,001-5,100
    }

    internal static async Task PublishNumbersAsync(NatsJSContext js, string subject, int from, int count)
    {
        const int Window = 500;
        for (var start = from; start < from + count; start += Window)
        {
            var acks = Enumerable.Range(start, Math.Min(Window, from + count - start))
                .Select(i => js.PublishAsync(subject, Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))).AsTask());
            foreach (var ack in await Task.WhenAll(acks)) ack.EnsureSuccess();
        }
    }

    internal static async Task<long> LengthAsync(ILogClient engine, string topic)
    {
        try
        {
            return await engine.LengthAsync(topic);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return 0;
        }
    }
}
