using System.Diagnostics;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W4L (issue 3): commit-to-yield latency of a <see cref="LiveProc"/> in-process. One record is
/// committed at a time; each latency runs from just before <see cref="ILogClient.CommitAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>
/// to the moment <see cref="LiveProc.ChangesAsync"/> yields that record. The reader acks every
/// batch, and the next record is committed only once it has, so every record finds the live proc
/// idle and waiting: the figure is the wake-up path, not a backlog. The loop
/// (<see cref="MeasureAsync"/>) is shared with W6, which runs it through IPC.
/// </summary>
internal sealed class W4LLiveProc : Workload
{
    public const int Records = 20_000;

    /// <summary>How long a run may take before it is declared stuck (a lost wake-up would hang it otherwise).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public override string Name => "W4L";

    public override string Title => "live proc: commit-to-yield latency, 20,000 records committed one at a time";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(Records);
        var directory = context.NewDirectory("w4l-engine");
        try
        {
            await using var engine = LogEngine.Open(directory, context.EngineOptions());
            var warmUps = 0;
            await context.WarmUpAsync(() => MeasureAsync(context, engine, $"w4l-warm-{++warmUps}", BenchContext.WarmUpSize(records), "W4L Engine warm-up"));
            var latency = await MeasureAsync(context, engine, "w4l", records, "W4L Engine");
            report.Add("live proc commit-to-yield p50", "µs", latency.PercentileMicroseconds(50), higherIsBetter: false, target: "< 1,000 µs");
            report.Add("live proc commit-to-yield p99", "µs", latency.PercentileMicroseconds(99), higherIsBetter: false);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Creates a live proc (<see cref="LiveMode.Live"/>, Count 1) on a new topic, commits
    /// <paramref name="records"/> records one at a time through the same client, and returns each
    /// record's commit-to-yield latency. Checks that every record was yielded once, alone, in commit order.
    /// </summary>
    public static async Task<LatencyRecorder> MeasureAsync(BenchContext context, ILogClient client, string topic, int records, string who)
    {
        context.Log($"{who}: {records:N0} records through a live proc on {topic}, one at a time");
        var latency = new LatencyRecorder(records);
        var committed = new string[records];
        var yielded = new string[records];
        long commitStarted = 0; // written by the committer before each commit, read by the reader at the yield
        var ackedCount = 0; // records the reader has acked, written by the reader
        using var acked = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource(Timeout);
        await using var live = client.LiveProc(topic, LiveMode.Live, count: 1);

        var reader = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var batch in live.ChangesAsync(stop.Token))
            {
                latency.Record(n, Volatile.Read(ref commitStarted));
                Expect.Count($"{who} records in live batch {n:N0}", 1, batch.Count);
                yielded[n] = batch[0].Id;
                await live.AckAsync(stop.Token);
                Volatile.Write(ref ackedCount, ++n);
                acked.Release();
                if (n == records) break;
            }
        });

        for (var i = 0; i < records; i++)
        {
            Volatile.Write(ref commitStarted, Stopwatch.GetTimestamp());
            committed[i] = await client.CommitAsync(topic, context.Body, stop.Token);
            // No token here: a cancellable WaitAsync completes through a wrapper task, after the release
            // it was granted. A reader that stops (or times out: ChangesAsync has the token) ends the wait.
            var wait = acked.WaitAsync();
            if (await Task.WhenAny(wait, reader) == reader && Volatile.Read(ref ackedCount) <= i)
            {
                await reader; // throws the reader's failure, if it failed
                throw new BenchCheckException($"{who}: the live proc stopped yielding after {i:N0} of {records:N0} records");
            }
            await wait;
        }
        await reader;

        Expect.Count($"{who} records yielded", records, latency.Count);
        for (var i = 0; i < records; i++)
        {
            Expect.True(string.Equals(committed[i], yielded[i], StringComparison.Ordinal),
                $"{who}: yield {i:N0} was {yielded[i]}, but commit {i:N0} returned {committed[i]}");
        }
        return latency;
    }
}
