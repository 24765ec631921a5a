using System.Diagnostics;
using System.Globalization;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W4: claim + ack 100,000 times with <c>Count</c> 1 (100,000 records), and 1,000,000 records with
/// <c>Count</c> 100 (10,000 claims), through the proc API (<see cref="ILogClient.ProcAsync"/>,
/// <see cref="ILogClient.AckAsync"/>) in-process. No baseline: the issue sets absolute targets.
/// The loop (<see cref="ClaimAckAsync"/>) is shared with W6, which runs it through IPC.
/// </summary>
internal sealed class W4Procs : Workload
{
    public const int CountOneRecords = 100_000;
    public const int CountHundredRecords = 1_000_000;

    public override string Name => "W4";

    public override string Title => "procs: claim+ack 100,000 × Count 1; 1,000,000 records with Count 100";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var directory = context.NewDirectory("w4-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions());
            var warmUps = 0;
            await context.WarmUpAsync(async () =>
            {
                var pass = ++warmUps;
                await ClaimAckAsync(context, engine, $"w4-warm-{pass}-count1", BenchContext.WarmUpSize(context.Scale(CountOneRecords)), 1, "W4 Engine warm-up");
                await ClaimAckAsync(context, engine, $"w4-warm-{pass}-count100", BenchContext.WarmUpSize(context.Scale(CountHundredRecords)), 100, "W4 Engine warm-up");
            });
            var one = await ClaimAckAsync(context, engine, "w4-count1", context.Scale(CountOneRecords), 1, "W4 Engine");
            report.Add("claim+ack, Count 1", "rec/s", Rates.PerSecond(context.Scale(CountOneRecords), one), target: "≥ 200,000 rec/s");
            var hundred = await ClaimAckAsync(context, engine, "w4-count100", context.Scale(CountHundredRecords), 100, "W4 Engine");
            report.Add("claim+ack, Count 100", "rec/s", Rates.PerSecond(context.Scale(CountHundredRecords), hundred), target: "≥ 2,000,000 rec/s");
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Fills a new topic with <paramref name="records"/> records (untimed), then claims with
    /// <paramref name="count"/> and acks each claim until the proc finds nothing new; returns the time
    /// of the claim+ack loop (its final, empty claim included). Checks that it made exactly
    /// ⌈records / count⌉ claims, each continuing where the previous one ended (no record skipped or
    /// claimed twice), and that the proc's last ack is the topic's last record. With
    /// <paramref name="oneCall"/>, each batch is acked and the next claimed by one
    /// <see cref="ILogClient.AckAndProcAsync"/> call, as a consumer loop can.
    /// </summary>
    public static async Task<TimeSpan> ClaimAckAsync(BenchContext context, ILogClient client, string topic, int records, int count, string who,
        bool oneCall = false)
    {
        context.Log($"{who}: filling {records:N0} records into {topic}");
        await EngineFill.CommitAsync(client, topic, records, context.Body);
        var options = new ProcOptions { Name = $"{topic}-proc", Count = count };
        var expectedClaims = (records + count - 1) / count;
        // The ends of each claim, checked once the clock has stopped.
        var firstIds = new string[expectedClaims];
        var lastIds = new string[expectedClaims];
        long claimed = 0;
        var claims = 0;
        context.Log($"{who}: claim+ack with Count {count}{(oneCall ? ", one call each" : "")}");
        var started = Stopwatch.GetTimestamp();
        var batch = await client.ProcAsync(topic, options);
        while (true)
        {
            if (batch.Count == 0) break;
            if (claims < expectedClaims)
            {
                firstIds[claims] = batch[0].Id;
                lastIds[claims] = batch[^1].Id;
            }
            claims++;
            claimed += batch.Count;
            if (oneCall)
            {
                batch = (await client.AckAndProcAsync(topic, options)).Claimed;
                continue;
            }
            await client.AckAsync(options.Name);
            batch = await client.ProcAsync(topic, options);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        Expect.Count($"{who} records claimed with Count {count}", records, claimed);
        Expect.Count($"{who} claims with Count {count}", expectedClaims, claims);
        long next = 0;
        for (var c = 0; c < claims; c++)
        {
            var last = next + Math.Min(count, records - next) - 1;
            Expect.True(firstIds[c].EndsWith(SeqSuffix(next), StringComparison.Ordinal) && lastIds[c].EndsWith(SeqSuffix(last), StringComparison.Ordinal),
                $"{who} claim {c:N0} with Count {count} was {firstIds[c]}..{lastIds[c]}, expected seqs {next}..{last}");
            next = last + 1;
        }
        var state = await client.InspectProcAsync(options.Name);
        Expect.True(state.LastAckedRange.EndsWith(lastIds[^1], StringComparison.Ordinal),
            $"{who} proc's last acked range is '{state.LastAckedRange}', expected it to end at the last record {lastIds[^1]}");
        return elapsed;
    }

    private static string SeqSuffix(long seq) => "-" + seq.ToString(CultureInfo.InvariantCulture);
}
