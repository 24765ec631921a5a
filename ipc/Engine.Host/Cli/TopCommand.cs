using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Engine.Host.Cli;

/// <summary>
/// <c>engine top</c>: a live view of a store: commits per second (from the topics' lengths between
/// two looks), the busiest topics, procs by lag, and workers. <c>--once</c> prints one view and exits.
/// </summary>
internal static class TopCommand
{
    private static readonly Option<TimeSpan> Interval = new("--interval") { Description = "How often the view refreshes, and the window commits/s is measured over (e.g. 1s, 500ms)", DefaultValueFactory = _ => TimeSpan.FromSeconds(1), CustomParser = Units.Duration };
    private static readonly Option<bool> Once = new("--once") { Description = "Measure one interval, print the view once and exit (for scripts and logs)" };
    private static readonly Option<int> Rows = new("--rows") { Description = "Topics and procs shown at most", DefaultValueFactory = _ => 10 };

    public static Command Create(CliIo io)
    {
        var command = new Command("top", """
            A live view of a store: commits/s, topics, procs with lag, workers; refreshed every --interval until Ctrl+C.
            Example: engine top --namespace myapp        engine top --namespace myapp --once
            """) { Interval, Once, Rows }.WithStoreOptions(json: false);
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "top", async client =>
        {
            var interval = result.GetValue(Interval);
            var rows = Math.Max(1, result.GetValue(Rows));
            var previous = await SampleAsync(client, ct);
            if (result.GetValue(Once))
            {
                await Task.Delay(interval, ct);
                io.Console.Write(View(previous, await SampleAsync(client, ct), rows));
                return ExitCodes.Ok;
            }
            try
            {
                await io.Console.Live(new Text("measuring...")).StartAsync(async context =>
                {
                    using var timer = new PeriodicTimer(interval);
                    while (await timer.WaitForNextTickAsync(ct))
                    {
                        var next = await SampleAsync(client, ct);
                        context.UpdateTarget(View(previous, next, rows));
                        previous = next;
                    }
                });
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private sealed record Sample(long At, IReadOnlyList<TopicInfo> Topics, IReadOnlyList<ProcInfo> Procs, EngineStats Stats);

    private static async Task<Sample> SampleAsync(ILogClient client, CancellationToken ct) =>
        new(Stopwatch.GetTimestamp(), await client.ListTopicsAsync(ct), await client.ListProcsAsync(ct), await WorkersCommand.StatsAsync(client, ct));

    /// <summary>
    /// Commits per second: records added to every topic between the two looks (by last id's seq,
    /// so GC pruning does not count as negative commits), over the time between them.
    /// </summary>
    private static IRenderable View(Sample before, Sample now, int rows)
    {
        var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(before.At, now.At).TotalSeconds);
        var last = before.Topics.ToDictionary(t => t.Name, t => NextSeq(t));
        var rates = now.Topics.Select(t => (Topic: t, Rate: (NextSeq(t) - last.GetValueOrDefault(t.Name)) / seconds)).ToList();
        var invariant = CultureInfo.InvariantCulture;
        var header = new Text(string.Create(invariant,
            $"{rates.Sum(r => r.Rate):N0} commits/s · {now.Topics.Count} topics · {now.Procs.Count} procs, {now.Procs.Sum(p => p.Lag):N0} records behind · {now.Stats.Workers.Count} workers · {DateTimeOffset.Now:HH:mm:ss}"));
        var topics = new Table().Border(TableBorder.Simple).AddColumns("topic", "length", "commits/s", "last id");
        foreach (var (topic, rate) in rates.OrderByDescending(r => r.Rate).ThenBy(r => r.Topic.Name, StringComparer.Ordinal).Take(rows))
            topics.AddRow(new Text(topic.Name), new Text(topic.Length.ToString("N0", invariant)), new Text(rate.ToString("N0", invariant)), new Text(topic.LastId));
        var procs = new Table().Border(TableBorder.Simple).AddColumns("proc", "topic", "status", "lag", "oldest pending", "reclaims");
        foreach (var p in now.Procs.OrderByDescending(p => p.Lag).Take(rows))
            procs.AddRow(new Text(p.State.Name), new Text(p.State.Topic), new Text(p.State.Status.ToString()), new Text(p.Lag.ToString("N0", invariant)),
                new Text(Units.Format(p.OldestPendingAge)), new Text(p.State.Reclaims.ToString(invariant)));
        var workers = new Table().Border(TableBorder.Simple).AddColumns("worker", "pid", "executions", "errors", "restarts", "avg latency", "state");
        foreach (var w in now.Stats.Workers)
            workers.AddRow(new Text(w.Id.ToString(invariant)), new Text(w.ProcessId.ToString(invariant)), new Text(w.Executions.ToString("N0", invariant)),
                new Text(w.Errors.ToString("N0", invariant)), new Text(w.Restarts.ToString(invariant)), new Text(Units.Format(w.AverageLatency)), new Text(w.State));
        return new Rows(header, topics, procs, workers);
    }

    /// <summary>The seq after a topic's last record (its count of records ever committed), from its last id.</summary>
    private static long NextSeq(TopicInfo topic) =>
        topic.LastId.Length == 0 ? 0 : long.Parse(topic.LastId.AsSpan(topic.LastId.IndexOf('-', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture) + 1;
}
