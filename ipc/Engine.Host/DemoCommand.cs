using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Engine.Ipc;
using Spectre.Console;

namespace Engine.Host;

/// <summary>
/// <c>engine demo</c>: the whole pipeline on a fresh store. It spawns a host with worker
/// processes, drops the Increment sample processor (built from this repository) into the host's
/// processors folder, where its [SystemProc] attribute registers "increment" (numbers →
/// incremented), commits numbers, follows the results as a live proc pushes them, checks every
/// one, and prints what the workers and the system proc did.
/// </summary>
internal static class DemoCommand
{
    private static readonly Option<int> RecordsOption = new("--records") { Description = "How many numbers (records) to push through", DefaultValueFactory = _ => 100_000 };
    private static readonly Option<int> WorkersOption = new("--workers") { Description = "Worker processes that run the demo's processor, a count", DefaultValueFactory = _ => 2 };
    private static readonly Option<string?> DirectoryOption = new("--dir") { Description = "Where the demo's store lives (default: a temporary folder, removed afterwards)" };

    public static Command Create()
    {
        var command = new Command("demo", "Run the whole pipeline: host, workers, a processor DLL, records flowing, results checked");
        command.Add(RecordsOption);
        command.Add(WorkersOption);
        command.Add(DirectoryOption);
        command.SetAction((result, ct) => RunAsync(result.GetValue(RecordsOption), result.GetValue(WorkersOption), result.GetValue(DirectoryOption), ct));
        return command;
    }

    private static async Task<int> RunAsync(int records, int workers, string? directory, CancellationToken ct)
    {
        var root = directory ?? Path.Combine(Path.GetTempPath(), $"engine-demo-{Guid.NewGuid():N}");
        var processors = Path.Combine(root, "processors");
        Directory.CreateDirectory(processors);
        AnsiConsole.MarkupLine($"[bold]Engine demo[/]: {records:N0} numbers through a +1 processor in {workers} worker processes");
        AnsiConsole.MarkupLine($"  store and processors folder: [grey]{Markup.Escape(root)}[/]");
        try
        {
            var started = Stopwatch.StartNew();
            await using var client = await LogClient.SpawnAsync(new SpawnOptions
            {
                Socket = "unix://" + Path.Combine(root, "engine.sock"),
                Location = Path.Combine(root, "store"),
                ProcessorsDirectory = processors,
                Workers = workers,
            }, ct);
            AnsiConsole.MarkupLine($"  host started and accepting at [grey]{Markup.Escape(client.Address)}[/] ({started.ElapsedMilliseconds} ms)");

            DropInProcessor(processors);
            AnsiConsole.MarkupLine("  dropped [green]Increment.dll[/] into the processors folder; its [[SystemProc]] attribute registers [green]increment[/]: numbers → incremented");

            var expectedSum = 0L;
            var flowing = Stopwatch.StartNew();
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var committing = progress.AddTask("committing numbers", maxValue: records);
                    var processed = progress.AddTask("processed by the workers", maxValue: records);
                    // Results are pushed to a live proc as the workers commit them: no polling.
                    await using var results = client.LiveProc("incremented", LiveMode.All, count: 1000);
                    var following = FollowAsync(results, processed, records, ct);
                    for (var next = 0; next < records; next += 1000)
                    {
                        var batch = Enumerable.Range(next, Math.Min(1000, records - next)).ToList();
                        await client.CommitAsync([.. batch.Select(n => new CommitLog("numbers", Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture))))], ct);
                        expectedSum += batch.Sum(n => n + 1L);
                        committing.Increment(batch.Count);
                    }
                    await following;
                });
            var elapsed = flowing.Elapsed;

            var outputs = await client.RangeAsync("incremented", ct: ct);
            var sum = outputs.Sum(o => long.Parse(o.BodyText, CultureInfo.InvariantCulture));
            var correct = outputs.Count == records && sum == expectedSum;
            AnsiConsole.MarkupLine(correct
                ? $"  read back {outputs.Count:N0} results: every number came back incremented, once ([green]checked[/])"
                : $"  [red]read back {outputs.Count:N0} results, expected {records:N0}; sum {sum}, expected {expectedSum}[/]");
            AnsiConsole.MarkupLine($"  {records:N0} records committed, processed and committed again in {elapsed.TotalSeconds:0.00} s ([bold]{records / elapsed.TotalSeconds:N0} records/s[/])");
            Summarize(await client.GetStatsAsync(ct));
            await client.ShutdownAsync(ct);
            AnsiConsole.MarkupLine("  host shut down; the store was closed cleanly");
            return correct ? 0 : 1;
        }
        finally
        {
            if (directory is null) TryDelete(root);
        }
    }

    private static async Task FollowAsync(LiveProc results, ProgressTask processed, int records, CancellationToken ct)
    {
        var seen = 0;
        await foreach (var batch in results.ChangesAsync(ct))
        {
            await results.AckAsync(ct);
            seen += batch.Count;
            processed.Value = seen;
            if (seen >= records) return;
        }
    }

    private static void DropInProcessor(string processors)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "Increment");
        if (!Directory.Exists(sample)) throw new DirectoryNotFoundException($"the Increment sample is not beside the host ({sample}); build the solution");
        // Dependencies first, the processor last: the watcher registers it once it appears whole.
        foreach (var file in Directory.EnumerateFiles(sample).OrderBy(f => Path.GetFileName(f) == "Increment.dll"))
            File.Copy(file, Path.Combine(processors, Path.GetFileName(file)), overwrite: true);
    }

    private static void Summarize(EngineStats stats)
    {
        var workers = new Table().Title("workers").AddColumns("worker", "process", "batches", "errors", "restarts", "avg latency");
        foreach (var w in stats.Workers)
            workers.AddRow(w.Id.ToString(CultureInfo.InvariantCulture), w.ProcessId.ToString(CultureInfo.InvariantCulture), w.Executions.ToString("N0", CultureInfo.InvariantCulture),
                w.Errors.ToString(CultureInfo.InvariantCulture), w.Restarts.ToString(CultureInfo.InvariantCulture), $"{w.AverageLatency.TotalMilliseconds:0.00} ms");
        var procs = new Table().Title("system procs").AddColumns("system proc", "batches", "errors", "worker crashes", "avg claim→ack");
        foreach (var p in stats.SystemProcs)
            procs.AddRow(p.Name, p.Executions.ToString("N0", CultureInfo.InvariantCulture), p.Errors.ToString(CultureInfo.InvariantCulture),
                p.WorkerCrashes.ToString(CultureInfo.InvariantCulture), $"{p.AverageLatency.TotalMilliseconds:0.00} ms");
        AnsiConsole.Write(workers);
        AnsiConsole.Write(procs);
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
