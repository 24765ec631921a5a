using Engine.Storage;

namespace Engine.Host.Cli;

/// <summary>
/// <c>engine tail -f --path DIR</c>: follows a store that no host holds, as other processes that
/// open it in turn (<c>engine commit --path</c>, a batch job) add to it.
/// <para>
/// A read-only open holds <c>LOCK</c> shared, which keeps writers out, so the store is open only
/// while it is read: each read opens it, takes the records after the last one printed, and closes
/// it before printing them. Between reads it waits for a file of the store to change
/// (<see cref="StoreChanges"/>); while a writer holds the store, it waits for the writer to let go
/// (a blocking flock, <see cref="DirectoryLock.WaitUntilFree"/>), and says so when that takes
/// more than a moment. Nothing polls.
/// A writer that opens the store at the moment of a read is refused with Locked, as against any
/// reader on --path: to follow a store that a process keeps open, ask that process (a host:
/// --namespace).
/// </para>
/// </summary>
internal static class PathFollower
{
    /// <summary>Records read per request, and per open at most this many pages before they are printed.</summary>
    private const int Page = 1000;
    private const int PagesPerOpen = 10;

    /// <summary>How long a writer may hold the store before the follower says it is waiting for it.</summary>
    private static readonly TimeSpan TellAfter = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(CliIo io, string path, string topic, bool json, string? from, int lines, CancellationToken ct)
    {
        if (!Directory.Exists(path))
            return StoreAccess.Fail(io, "tail", new LogEngineException(LogEngineError.InvalidArgument, $"there is no store at '{path}' (no such directory)"), path);
        var root = Path.GetFullPath(path);
        // Watching starts before the first read, so nothing committed after it goes unnoticed.
        using var changes = new StoreChanges(root);
        Cursor cursor;
        IReadOnlyList<LogEntry> backlog;
        try
        {
            // A store some process holds now is refused, with the hint to ask that host instead.
            (backlog, cursor) = await ReadBacklogAsync(path, topic, from, lines, ct);
        }
        catch (LogEngineException e)
        {
            return StoreAccess.Fail(io, "tail", e, path);
        }
        ReadCommands.Print(io, backlog, json, -1, skipSeen: false);
        await io.Out.FlushAsync(ct);
        try
        {
            while (true)
            {
                await changes.NextAsync(ct);
                bool more;
                do
                {
                    var (page, next, full) = await ReadAfterAsync(io, root, path, topic, cursor, changes, ct);
                    ReadCommands.Print(io, page, json, -1, skipSeen: false);
                    await io.Out.FlushAsync(ct);
                    (cursor, more) = (next, full);
                }
                while (more);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (LogEngineException e)
        {
            return StoreAccess.Fail(io, "tail", e, path);
        }
    }

    /// <summary>Where the next read starts: after the last record printed, or (nothing printed yet) where the follower was asked to start.</summary>
    private readonly record struct Cursor(string? Start, bool Exclusive)
    {
        public static Cursor After(LogEntry entry) => new(entry.Id, true);
    }

    /// <summary>The records to print first (the last <paramref name="lines"/>, or from <paramref name="from"/>) and where to follow from.</summary>
    private static async Task<(IReadOnlyList<LogEntry> Backlog, Cursor Cursor)> ReadBacklogAsync(string path, string topic, string? from, int lines, CancellationToken ct)
    {
        await using var engine = LogEngine.OpenReadOnly(path);
        if (from is null)
        {
            // Even with --lines 0 the cursor is the topic's last record: only what follows it is new.
            var last = await EmptyIfNoTopic(() => engine.RevRangeAsync(topic, new RangeOptions { Limit = Math.Max(1, lines) }, ct));
            return ([.. last.Take(Math.Max(0, lines)).Reverse()], last.Count > 0 ? Cursor.After(last[0]) : new Cursor(null, false));
        }
        var backlog = new List<LogEntry>();
        var cursor = new Cursor(from, false);
        IReadOnlyList<LogEntry> page;
        do
        {
            var at = cursor;
            page = await EmptyIfNoTopic(() => engine.RangeAsync(topic, new RangeOptions { Start = at.Start, Limit = Page, Exclusive = at.Exclusive }, ct));
            backlog.AddRange(page);
            if (page.Count > 0) cursor = Cursor.After(page[^1]);
        }
        while (page.Count == Page);
        return (backlog, cursor);
    }

    /// <summary>
    /// Opens the store once no writer holds it, reads up to <see cref="PagesPerOpen"/> pages after
    /// <paramref name="cursor"/> and closes it; <c>Full</c> says more may follow.
    /// </summary>
    private static async Task<(IReadOnlyList<LogEntry> Page, Cursor Cursor, bool Full)> ReadAfterAsync(
        CliIo io, string root, string path, string topic, Cursor cursor, StoreChanges changes, CancellationToken ct)
    {
        var told = false;
        while (true)
        {
            // Whatever changed until now, this read will see.
            changes.Forget();
            LogEngine engine;
            try
            {
                engine = LogEngine.OpenReadOnly(path);
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.Locked)
            {
                var wait = Task.Factory.StartNew(() => DirectoryLock.WaitUntilFree(root), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                // A writer such as engine commit lets go within moments, and is not worth a word;
                // one that keeps the store (a host, an application) is.
                if (!told && await Task.WhenAny(wait, Task.Delay(TellAfter, ct)) != wait && !ct.IsCancellationRequested)
                {
                    io.Err.WriteLine($"engine tail: {DirectoryLock.DescribeHolder(root)} holds the store; printing resumes when it lets go (to follow a running host, use --namespace)");
                    told = true;
                }
                var waited = await wait.WaitAsync(ct);
                // Where a lock cannot be waited on, the writer's next change is the next chance.
                if (!waited) await changes.NextAsync(ct);
                continue;
            }
            await using (engine)
            {
                var read = new List<LogEntry>();
                for (var pages = 0; pages < PagesPerOpen; pages++)
                {
                    var at = cursor;
                    var page = await EmptyIfNoTopic(() => engine.RangeAsync(topic, new RangeOptions { Start = at.Start, Limit = Page, Exclusive = at.Exclusive }, ct));
                    read.AddRange(page);
                    if (page.Count > 0) cursor = Cursor.After(page[^1]);
                    if (page.Count < Page) return (read, cursor, false);
                }
                return (read, cursor, true);
            }
        }
    }

    /// <summary>A topic no one has committed to yet is empty to a follower: its records are still to come.</summary>
    private static async Task<IReadOnlyList<LogEntry>> EmptyIfNoTopic(Func<ValueTask<IReadOnlyList<LogEntry>>> read)
    {
        try
        {
            return await read();
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return [];
        }
    }
}
