using System.Diagnostics;
using System.Globalization;
using Engine;
using Engine.Bridge.Nats;
using Engine.Bridge.Nats.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

// Export and import throughput of the bridge, each next to raw NATS.Net doing the same JetStream
// work with the same bodies, headers and in-flight window, in the same run on the same server.
//   dotnet run -c Release --project bench/Engine.Bench.Nats [-- --count 200000 --body 100]
var count = Argument("--count", 200_000);
var bodySize = Argument("--body", 100);
const int Window = 1000;
var body = new byte[bodySize];
Random.Shared.NextBytes(body);

await using var server = await NatsServer.StartAsync();
await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, HeaderEncoding = System.Text.Encoding.UTF8 });
var js = new NatsJSContext(nats);
Console.WriteLine($"{count:N0} records of {bodySize} bytes, window {Window}, nats-server on {server.Url}");

await using var engine = LogEngine.OpenInMemory();
// Warm-up (JIT, server files) of both sides at a tenth of the size, then the measured runs.
await RawPublishRunAsync("warm-raw", count / 10);
await ExportRunAsync("warm-out", count / 10);
var rawPublish = await RawPublishRunAsync("raw", count);
var export = await ExportRunAsync("out", count);
var clock = Stopwatch.StartNew();

// Raw consume: a durable pull consumer acking each batch, what the import does without the engine.
var rawConsumer = await js.CreateOrUpdateConsumerAsync("RAW", new ConsumerConfig("raw") { AckPolicy = ConsumerConfigAckPolicy.All, MaxAckPending = Window * 4 });
clock.Restart();
var consumed = 0;
await foreach (var message in rawConsumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = Window }))
{
    if (++consumed % Window == 0 || consumed == count) await message.AckAsync();
    if (consumed == count) break;
}
var rawConsume = count / clock.Elapsed.TotalSeconds;

// Import: the bridge feeding a topic from the stream the raw publish filled.
clock.Restart();
await using (NatsBridge.Start(engine, new NatsBridgeOptions { Url = server.Url, Imports = [new NatsImport("RAW", "raw", "in")], BatchSize = Window }))
{
    while (await LengthAsync(engine, "in") < count) await Task.Delay(1);
}
var import = count / clock.Elapsed.TotalSeconds;
Check(await engine.LengthAsync("in") == count, "import topic length");

Console.WriteLine();
Console.WriteLine("| what | rec/s | baseline (raw NATS.Net, same run) | rec/s | ratio |");
Console.WriteLine("| --- | ---: | --- | ---: | ---: |");
Console.WriteLine($"| export (engine proc → JetStream) | {export:N0} | publish with Nats-Msg-Id, {Window} in flight | {rawPublish:N0} | {export / rawPublish:F2}× |");
Console.WriteLine($"| import (durable consumer → topic) | {import:N0} | durable pull consumer, ack per {Window} | {rawConsume:N0} | {import / rawConsume:F2}× |");
return 0;

// Raw publish: what the bridge's export does for each record, without the engine.
async Task<double> RawPublishRunAsync(string subject, int n)
{
    await js.CreateStreamAsync(new StreamConfig(subject.ToUpperInvariant(), [subject]) { Storage = StreamConfigStorage.File });
    // As `nats bench js pub` does: a window of async publishes, then wait for all their acks.
    // (A sliding window refilled from each ack's continuation ran slower here: the refill runs on
    // the client's socket reader and holds up the acks behind it.)
    var clock = Stopwatch.StartNew();
    for (var start = 0; start < n; start += Window)
        await Task.WhenAll(Enumerable.Range(start, Math.Min(Window, n - start)).Select(i => RawPublishAsync(subject, i)));
    return n / clock.Elapsed.TotalSeconds;
}

// Export: records committed first, then the bridge until its proc has acked the last one.
async Task<double> ExportRunAsync(string topic, int n)
{
    for (var start = 0; start < n; start += 1000)
        await engine.CommitAsync([.. Enumerable.Range(start, Math.Min(1000, n - start)).Select(_ => new CommitLog(topic, body))]);
    await js.CreateStreamAsync(new StreamConfig(topic.ToUpperInvariant(), [topic]) { Storage = StreamConfigStorage.File });
    var clock = Stopwatch.StartNew();
    await using (NatsBridge.Start(engine, new NatsBridgeOptions { Url = server.Url, Exports = [new NatsExport(topic, topic)], MaxInFlight = Window }))
    {
        while (true)
        {
            try
            {
                await engine.WaitForProcsAsync([$"nats-export/{topic}"]);
                break;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
            {
                await Task.Delay(1); // the bridge has not claimed its first batch yet
            }
        }
    }
    var rate = n / clock.Elapsed.TotalSeconds;
    Check((await js.GetStreamAsync(topic.ToUpperInvariant())).Info.State.Messages == n, $"{topic} stream count");
    return rate;
}

async Task RawPublishAsync(string subject, int i)
{
    var headers = new NatsHeaders { { MessageIds.TopicHeader, "raw" }, { MessageIds.IdHeader, i.ToString(CultureInfo.InvariantCulture) } };
    var ack = await js.PublishAsync(subject, (ReadOnlyMemory<byte>)body, opts: new NatsJSPubOpts { MsgId = $"{subject}/{i}" }, headers: headers);
    ack.EnsureSuccess();
}

static async Task<long> LengthAsync(ILogClient engine, string topic)
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

static void Check(bool ok, string what)
{
    if (!ok) throw new InvalidOperationException($"bench check failed: {what}");
}

int Argument(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
