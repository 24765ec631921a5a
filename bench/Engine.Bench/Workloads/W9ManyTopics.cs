using System.Diagnostics;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W9: what creating topics costs. One <see cref="ILogClient.CommitAsync(IReadOnlyList{CommitLog}, CancellationToken)"/>
/// of 10,000 records, each to a topic never seen before, then a clean close and a reopen; the
/// baseline is the same call with the same 10,000 records all going to one topic, in the same run.
/// A topic is a name, an id and an index, so the ratio says how much a new topic costs over a
/// record; it once grew with the square of the topics in one call (25 s for this call).
/// </summary>
internal sealed class W9ManyTopics : Workload
{
    public override string Name => "W9";

    public override string Title => "one commit of 10,000 records to 10,000 new topics, then reopen, vs to one topic";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(10_000);
        await context.WarmUpAsync(async () =>
        {
            await MeasureAsync(context, BenchContext.WarmUpSize(records, 10), manyTopics: true);
            await MeasureAsync(context, BenchContext.WarmUpSize(records, 10), manyTopics: false);
        });

        var (oneCommit, oneOpen) = await MeasureAsync(context, records, manyTopics: false);
        var (manyCommit, manyOpen) = await MeasureAsync(context, records, manyTopics: true);
        report.Add($"commit {records:N0} records to {records:N0} new topics", "ms", manyCommit.TotalMilliseconds,
            "to one topic", oneCommit.TotalMilliseconds, higherIsBetter: false);
        report.Add($"reopen a store of {records:N0} topics", "ms", manyOpen.TotalMilliseconds,
            "of one topic", oneOpen.TotalMilliseconds, higherIsBetter: false);
    }

    /// <summary>Times the one commit (with the close that makes it durable) and the reopen that follows, and checks the records are there.</summary>
    private static async Task<(TimeSpan Commit, TimeSpan Open)> MeasureAsync(BenchContext context, int records, bool manyTopics)
    {
        var directory = context.NewDirectory(manyTopics ? "w9-many" : "w9-one");
        try
        {
            var logs = new CommitLog[records];
            for (var i = 0; i < records; i++) logs[i] = new CommitLog(manyTopics ? $"topic-{i}" : "topic", context.Body);

            var started = Stopwatch.GetTimestamp();
            await using (var engine = LogEngine.Open(directory, context.EngineOptions()))
                Expect.Count("W9 ids returned", records, (await engine.CommitAsync(logs)).Count);
            var commit = Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            var reopened = LogEngine.Open(directory, context.EngineOptions());
            var open = Stopwatch.GetElapsedTime(started);
            await using (reopened)
            {
                Expect.Count("W9 records of the last topic after reopening", manyTopics ? 1 : records, await reopened.LengthAsync(logs[^1].Topic));
                Expect.Count("W9 records of the first topic after reopening", manyTopics ? 1 : records, await reopened.LengthAsync(logs[0].Topic));
            }
            return (commit, open);
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }
}
