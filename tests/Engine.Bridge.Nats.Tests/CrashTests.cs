using System.Globalization;
using System.Text;
using Engine.Bridge.Nats.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit.Abstractions;

namespace Engine.Bridge.Nats.Tests;

/// <summary>
/// `engine bridge nats` exporting one topic and importing one stream at once, SIGKILLed at a random
/// moment in each of many cycles, with new work both ways before every cycle. At the end a clean
/// run finishes the work, and every record must be in the export stream once and every message in
/// the import topic once, in stream order.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Cycles = 20;
    private const int PerCycle = 1_500;

    [Fact]
    public async Task A_bridge_sigkilled_at_random_moments_exports_and_imports_everything_exactly_once()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var js = new NatsJSContext(nats);
        await StreamContents.CreateAsync(js, "IN", "in.>");
        await StreamContents.CreateAsync(js, "OUT", "out.records"); // so its count can be watched from the first cycle
        using var dir = new TempDirectory();
        var random = new Random(20261202);
        var options = new NatsBridgeOptions
        {
            Url = server.Url,
            Namespace = "crash",
            Exports = [BridgeSpecs.ParseExport("out=out.records")],
            Imports = [BridgeSpecs.ParseImport("IN:in.x=in")],
            ExportStream = "OUT",
            BatchSize = 200,
            MaxInFlight = 100,
        };
        string[] arguments =
        [
            "--path", dir.Path, "--url", server.Url, "--namespace", "crash", "--export", "out=out.records", "--export-stream", "OUT",
            "--import", "IN:in.x=in", "--batch-size", "200", "--max-in-flight", "100", "--log-level", "Warning",
        ];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await using (var engine = LogEngine.Open(dir.Path))
            {
                if (cycle > 0) output.WriteLine($"after kill {cycle}: export acked to {await AckedAsync(engine)} of {cycle * PerCycle}, imported {await ImportTests.LengthAsync(engine, "in")}");
                await ExportTests.CommitNumbersAsync(engine, "out", cycle * PerCycle, PerCycle);
            }
            await ImportTests.PublishNumbersAsync(js, "in.x", cycle * PerCycle, PerCycle);
            var exportedBefore = await StreamContents.CountAsync(js, "OUT");
            var importedBefore = await AckFloorAsync(js);
            await using var bridge = await BridgeProcess.StartAsync(arguments);
            // Once both directions are moving, a random moment: not a synchronisation, the point
            // is not to know where in a batch the bridge is when it dies.
            try
            {
                await Eventually.UntilAsync(async () => await StreamContents.CountAsync(js, "OUT") > exportedBefore && await AckFloorAsync(js) > importedBefore,
                    TimeSpan.FromSeconds(60), "the bridge exports and imports");
            }
            catch (TimeoutException)
            {
                output.WriteLine($"cycle {cycle}: OUT {exportedBefore} -> {await StreamContents.CountAsync(js, "OUT")}, ack floor {importedBefore} -> {await AckFloorAsync(js)}");
                output.WriteLine(bridge.Output);
                bridge.Kill();
                await using (var engine = LogEngine.Open(dir.Path)) output.WriteLine($"proc: {await engine.InspectProcAsync("nats-export/out")}");
                throw;
            }
            await Task.Delay(random.Next(0, 40));
            bridge.Kill();
        }
        output.WriteLine($"{Cycles} kill cycles: {clock.Elapsed}");

        await using (var engine = LogEngine.Open(dir.Path))
        {
            await using (NatsBridge.Start(engine, options))
            {
                await ProcWait.WaitUntilCaughtUpAsync(engine, "nats-export/out", TimeSpan.FromSeconds(60));
                await Eventually.UntilAsync(async () => await ImportTests.LengthAsync(engine, "in") >= Cycles * PerCycle,
                    TimeSpan.FromSeconds(60), "every published message is imported");
            }
            output.WriteLine($"final clean run done: {clock.Elapsed}");
            var exported = await StreamContents.ReadAllAsync(js, "OUT");
            var records = await engine.RangeAsync("out");
            Assert.Equal(Cycles * PerCycle, records.Count);
            Assert.Equal(records.Count, exported.Count);
            Assert.Equal(records.Select(r => r.Id).Order(StringComparer.Ordinal), exported.Select(m => m.EngineId!).Order(StringComparer.Ordinal));

            var imported = await engine.RangeAsync("in");
            Assert.Equal(Enumerable.Range(0, Cycles * PerCycle).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                imported.Select(r => Encoding.UTF8.GetString(r.Body.Span)));
        }
    }

    /// <summary>The stream sequence up to which the import's durable consumer has been acked (0 before it exists).</summary>
    private static async Task<ulong> AckFloorAsync(NatsJSContext js)
    {
        try
        {
            return (await js.GetConsumerAsync("IN", "engine-crash-in")).Info.AckFloor.StreamSeq;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return 0;
        }
    }

    /// <summary>How many records the export proc has acked (its last acked seq + 1), for the test's output.</summary>
    private static async Task<long> AckedAsync(ILogClient engine)
    {
        try
        {
            var acked = (await engine.InspectProcAsync("nats-export/out")).LastAckedRange;
            return acked.Length == 0 ? 0 : long.Parse(acked.Split("..")[^1].Split('-')[^1], CultureInfo.InvariantCulture) + 1;
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
        {
            return 0;
        }
    }
}
