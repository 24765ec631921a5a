using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Engine.Host.Cli;

/// <summary><c>engine procs</c> (every proc with its lag; <c>--watch</c> refreshes it) and <c>engine inspect PROC</c>.</summary>
internal static class ProcsCommand
{
    private static readonly Option<bool> Watch = new("--watch", "-w") { Description = "Refresh the table every --interval until Ctrl+C" };
    private static readonly Option<TimeSpan> Interval = new("--interval") { Description = "How often --watch refreshes (e.g. 500ms, 2s)", DefaultValueFactory = _ => TimeSpan.FromSeconds(1), CustomParser = Units.Duration };
    private static readonly Argument<string> ProcName = new("proc") { Description = "The proc's name" };

    private static readonly string[] Columns = ["proc", "topic", "status", "last acked", "lag", "oldest pending", "reclaims", "on max reclaims"];

    public static Command Create(CliIo io)
    {
        var command = new Command("procs", """
            List every proc (system procs' too): status, last acked, lag, age of the oldest pending record, reclaims.
            Example: engine procs --namespace myapp --watch        engine procs --path data --json
            """).WithStoreOptions();
        command.Add(Watch);
        command.Add(Interval);
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "procs", async client =>
        {
            if (result.GetValue(Watch)) return await WatchAsync(io, client, result.GetValue(Interval), ct);
            var procs = await client.ListProcsAsync(ct);
            if (result.GetValue(StoreAccess.Json)) Output.Json(io, procs.Select(Json));
            else Output.Table(io, Columns, procs.Select(Row));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command CreateInspect(CliIo io)
    {
        var command = new Command("inspect", """
            Show one proc: every field of its state, its lag and the age of its oldest pending record.
            Example: engine inspect doubler --namespace myapp
            """) { ProcName }.WithStoreOptions();
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "inspect", async client =>
        {
            var info = await client.ProcInfoAsync(result.GetValue(ProcName)!, ct);
            if (result.GetValue(StoreAccess.Json)) Output.Json(io, Json(info));
            else
            {
                var s = info.State;
                Output.Table(io, ["field", "value"], new string[][]
                {
                    ["name", s.Name], ["topic", s.Topic], ["status", s.Status.ToString()], ["offset", s.Offset],
                    ["created at", s.CreatedAt.ToString("O", CultureInfo.InvariantCulture)],
                    ["last claimed", s.LastClaimedRange], ["previous claimed", s.PreviousClaimedRange], ["last acked", s.LastAckedRange],
                    ["last claimed at", s.LastClaimedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-"],
                    ["last acked at", s.LastAckedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-"],
                    ["reclaims", $"{s.Reclaims} of {(s.MaxReclaims == -1 ? "unlimited" : s.MaxReclaims.ToString(CultureInfo.InvariantCulture))}"],
                    ["reclaim timeout", Units.Format(s.ReclaimTimeout)],
                    ["on max reclaims", s.OnMaxReclaimsReached.ToString()],
                    ["dead-letter topic", s.DeadLetterTopic ?? "-"],
                    ["lag", info.Lag.ToString("N0", CultureInfo.InvariantCulture)],
                    ["oldest pending", Units.Format(info.OldestPendingAge)],
                });
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string[] Row(ProcInfo p) =>
    [
        p.State.Name, p.State.Topic, p.State.Status.ToString(), p.State.LastAckedRange == "" ? "-" : p.State.LastAckedRange,
        p.Lag.ToString("N0", CultureInfo.InvariantCulture), Units.Format(p.OldestPendingAge),
        p.State.Reclaims.ToString(CultureInfo.InvariantCulture), p.State.OnMaxReclaimsReached.ToString(),
    ];

    private static object Json(ProcInfo p) => new
    {
        p.State.Name, p.State.Topic, p.State.Status, p.State.Offset, p.State.LastClaimedRange, p.State.LastAckedRange,
        p.State.LastClaimedAt, p.State.LastAckedAt, p.State.Reclaims, p.State.MaxReclaims,
        ReclaimTimeoutMs = (long)p.State.ReclaimTimeout.TotalMilliseconds, p.State.OnMaxReclaimsReached, p.State.DeadLetterTopic,
        p.Lag, OldestPendingAgeMs = (long?)p.OldestPendingAge?.TotalMilliseconds,
    };

    /// <summary>A live table, redrawn every interval (a display refresh rate, not a wait for an event).</summary>
    private static async Task<int> WatchAsync(CliIo io, ILogClient client, TimeSpan interval, CancellationToken ct)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in Columns) table.AddColumn(column);
        try
        {
            await io.Console.Live(table).StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(interval);
                do
                {
                    var procs = await client.ListProcsAsync(ct);
                    table.Rows.Clear();
                    foreach (var row in procs.Select(Row)) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)));
                    table.Caption($"{procs.Count} procs, {DateTimeOffset.Now:HH:mm:ss}; Ctrl+C to stop");
                    context.Refresh();
                }
                while (await timer.WaitForNextTickAsync(ct));
            });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return ExitCodes.Ok;
    }
}
