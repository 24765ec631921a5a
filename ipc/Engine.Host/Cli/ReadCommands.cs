using System.CommandLine;

namespace Engine.Host.Cli;

/// <summary><c>engine tail TOPIC</c> (the last records, or from a point; <c>-f</c> follows new ones) and <c>engine range TOPIC</c>.</summary>
internal static class ReadCommands
{
    private static readonly Argument<string> Topic = new("topic") { Description = "The topic to read" };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing records as they are committed: by a running host (--namespace, --socket), or on --path by processes that open the store in turn" };
    private static readonly Option<string?> From = new("--from") { Description = "Start at this id, timestamp (Unix ms) or :position instead of the last --lines records" };
    private static readonly Option<int> Lines = new("--lines") { Description = "How many of the last records to print first", DefaultValueFactory = _ => 10 };
    private static readonly Option<string?> Start = new("--start") { Description = "The first bound: an id, a timestamp (Unix ms) or :position (open when absent)" };
    private static readonly Option<string?> End = new("--end") { Description = "The last bound, like --start" };
    private static readonly Option<int> Limit = new("--limit") { Description = "At most this many records (0: no limit)", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Reverse = new("--rev") { Description = "Newest first (then --start is the newer bound)" };
    private static readonly Option<bool> Exclusive = new("--exclusive") { Description = "Leave out both bounds" };

    /// <summary>Records read per request: a page well under the host's MaxRangeBytes.</summary>
    private const int Page = 1000;

    public static Command CreateTail(CliIo io)
    {
        var command = new Command("tail", """
            Print a topic's last records (id, a tab, the body; --json: one JSON object a line, body in base64), then with -f follow new ones.
            With -f on --path, the store is opened only to read what changed, so that processes can open it in turn to commit.
            Example: engine tail numbers --namespace myapp -f        engine tail numbers --path data --from 1732464000000 --json
            """) { Topic, Follow, From, Lines }.WithStoreOptions();
        // -f on a path follows the files (PathFollower); anything else goes through a client.
        command.SetAction((result, ct) => result.GetValue(Follow) && result.GetValue(StoreAccess.Path) is { } path
            && result.GetValue(StoreAccess.Namespace) is null && result.GetValue(StoreAccess.Socket) is null
            ? PathFollower.RunAsync(io, path, result.GetValue(Topic)!, result.GetValue(StoreAccess.Json), result.GetValue(From), result.GetValue(Lines), ct)
            : StoreAccess.RunAsync(result, io, "tail", client => TailAsync(client, result, io, ct), ct));
        return command;
    }

    private static async Task<int> TailAsync(ILogClient client, ParseResult result, CliIo io, CancellationToken ct)
    {
        var topic = result.GetValue(Topic)!;
        var json = result.GetValue(StoreAccess.Json);
        // A live proc first, so nothing committed while the backlog prints is missed; records it
        // yields that the backlog already printed are skipped by seq.
        await using var live = result.GetValue(Follow) ? client.LiveProc(topic, LiveMode.Live, Page) : null;
        var last = -1L;
        var from = result.GetValue(From);
        IReadOnlyList<LogEntry> page;
        if (from is null)
        {
            var lines = Math.Max(0, result.GetValue(Lines));
            page = lines == 0 ? [] : (await ReadOrEmptyAsync(() => client.RevRangeAsync(topic, new RangeOptions { Limit = lines }, ct), live is not null)).Reverse().ToList();
            last = Print(io, page, json, last);
        }
        else
        {
            var start = from;
            do
            {
                page = await ReadOrEmptyAsync(() => client.RangeAsync(topic, new RangeOptions { Start = start, Limit = Page, Exclusive = last >= 0 }, ct), live is not null);
                last = Print(io, page, json, last);
                if (page.Count > 0) start = page[^1].Id;
            }
            while (page.Count == Page);
        }
        if (live is null) return ExitCodes.Ok;
        try
        {
            await foreach (var batch in live.ChangesAsync(ct))
            {
                last = Print(io, batch, json, last);
                await io.Out.FlushAsync(ct);
                await live.AckAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return ExitCodes.Ok;
    }

    public static Command CreateRange(CliIo io)
    {
        var command = new Command("range", """
            Print a slice of a topic, oldest first (--rev: newest first); pages through long topics.
            Example: engine range numbers --path data --start :100 --limit 10        engine range numbers -n myapp --rev --limit 1 --json
            """) { Topic, Start, End, Limit, Reverse, Exclusive }.WithStoreOptions();
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "range", async client =>
        {
            var topic = result.GetValue(Topic)!;
            var json = result.GetValue(StoreAccess.Json);
            var reverse = result.GetValue(Reverse);
            var limit = result.GetValue(Limit);
            var options = new RangeOptions { Start = result.GetValue(Start), End = result.GetValue(End), Exclusive = result.GetValue(Exclusive) };
            var printed = 0L;
            while (true)
            {
                var want = limit > 0 ? (int)Math.Min(Page, limit - printed) : Page;
                var page = reverse ? await client.RevRangeAsync(topic, options with { Limit = want }, ct) : await client.RangeAsync(topic, options with { Limit = want }, ct);
                Print(io, page, json, -1, skipSeen: false);
                printed += page.Count;
                if (page.Count < want || (limit > 0 && printed >= limit)) break;
                // The next page starts after the last record printed (bounds are the caller's otherwise).
                options = options with { Start = page[^1].Id, Exclusive = true, End = ExclusiveSafe(options.End, options.Exclusive, reverse ? -1 : 1) };
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>
    /// Exclusive applies to both bounds: after the first page the start must be exclusive, so an
    /// inclusive end is kept inclusive by naming the record after it (by position) when it is one.
    /// </summary>
    private static string? ExclusiveSafe(string? end, bool exclusive, int step)
    {
        if (end is null || exclusive) return end;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var none = System.Globalization.NumberStyles.None;
        if (end.StartsWith(':') && long.TryParse(end.AsSpan(1), none, invariant, out var seq)) return seq + step < 0 ? "0" : $":{seq + step}";
        var dash = end.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && long.TryParse(end.AsSpan(0, dash), none, invariant, out var idTs) && long.TryParse(end.AsSpan(dash + 1), none, invariant, out var idSeq))
            return idSeq + step < 0 ? (idTs - 1).ToString(invariant) : $"{idTs}-{idSeq + step}";
        if (long.TryParse(end, none, invariant, out var ts)) return (ts + step).ToString(invariant);
        return end;
    }

    /// <summary>A topic with no record yet is empty for a follower (it will get records), an error otherwise.</summary>
    private static async Task<IReadOnlyList<LogEntry>> ReadOrEmptyAsync(Func<ValueTask<IReadOnlyList<LogEntry>>> read, bool following)
    {
        try
        {
            return await read();
        }
        catch (LogEngineException e) when (following && e.Code == LogEngineError.InvalidTopic)
        {
            return [];
        }
    }

    /// <summary>Prints records whose seq is after <paramref name="last"/> (when it is not -1); returns the last seq printed.</summary>
    internal static long Print(CliIo io, IReadOnlyList<LogEntry> entries, bool json, long last, bool skipSeen = true)
    {
        foreach (var entry in entries)
        {
            var seq = long.Parse(entry.Id.AsSpan(entry.Id.IndexOf('-', StringComparison.Ordinal) + 1), System.Globalization.CultureInfo.InvariantCulture);
            if (skipSeen && last >= 0 && seq <= last) continue;
            if (json) Output.JsonLine(io, Output.Record(entry));
            else io.Out.WriteLine(Output.Line(entry));
            last = Math.Max(last, seq);
        }
        return last;
    }
}
