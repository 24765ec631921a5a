using System.Globalization;
using System.Text;
using Engine.Workers.DropIn;
using Engine.Workers.Supervision;

namespace Engine.Tests.Support;

/// <summary>An engine on disk with real worker processes, a processors directory, and helpers to count what flowed.</summary>
internal sealed class WorkerEngine : IAsyncDisposable
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    private WorkerEngine(TempDirectory directory, LogEngineOptions options)
    {
        Directory = directory;
        Options = options;
        Engine = LogEngine.Open(directory.Combine("store"), options);
    }

    public TempDirectory Directory { get; }

    public LogEngineOptions Options { get; }

    public LogEngine Engine { get; private set; }

    public string Processors => Directory.Combine("processors");

    public static WorkerEngine Open(int workers = 2, int restartAfter = 0, bool watchProcessors = false, int concurrency = 1, int spares = 1)
    {
        var directory = new TempDirectory();
        var options = new LogEngineOptions
        {
            Workers = workers,
            WorkerRestartAfter = restartAfter,
            WorkerConcurrency = concurrency,
            SpareWorkers = spares,
            ProcessorsDirectory = watchProcessors ? directory.Combine("processors") : null,
        };
        System.IO.Directory.CreateDirectory(directory.Combine("processors"));
        return new WorkerEngine(directory, options);
    }

    public async Task ReopenAsync()
    {
        await Engine.DisposeAsync();
        Engine = LogEngine.Open(Directory.Combine("store"), Options);
    }

    /// <summary>The worker processes' supervisor, for what the public figures do not show (the spares).</summary>
    public WorkerPool Pool => ((WorkerRuntime)Engine.Runtime()).Pool;

    /// <summary>
    /// Completes with what <paramref name="probe"/> finds once it finds something: checked now and
    /// after each change of the pool's processes, so it waits on the pool's own events, not a timer.
    /// </summary>
    public async Task<T> UntilAsync<T>(Func<WorkerPool, T?> probe)
        where T : class
    {
        var pool = Pool;
        var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (probe(pool) is { } value) found.TrySetResult(value);
        }
        pool.Changed += Check;
        try
        {
            Check();
            return await found.Task.WaitAsync(Guard);
        }
        finally
        {
            pool.Changed -= Check;
        }
    }

    /// <summary>The processors directory's watcher (the engine must have been opened with it).</summary>
    public DropInWatcher Watcher => ((WorkerRuntime)Engine.Runtime()).Watcher!;

    /// <summary>Completes when the watcher has handled a change of <paramref name="fileName"/>; arm it before making the change.</summary>
    public Task SyncedAsync(string fileName)
    {
        var synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Watcher.Synced += path =>
        {
            if (Path.GetFileName(path) == fileName) synced.TrySetResult();
        };
        return synced.Task.WaitAsync(Guard);
    }

    public async Task<IReadOnlyList<string>> CommitNumbersAsync(string topic, int from, int count) =>
        await Engine.CommitAsync([.. Enumerable.Range(from, count).Select(i => new CommitLog(topic, Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))))]);

    public async Task<IReadOnlyList<string>> BodiesAsync(string topic)
    {
        try
        {
            return [.. (await Engine.RangeAsync(topic)).Select(e => e.BodyText)];
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return [];
        }
    }

    public async Task WaitForProcsAsync(params string[] procs)
    {
        using var cts = new CancellationTokenSource(Guard);
        await Engine.WaitForProcsAsync(procs, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Directory.Dispose();
    }
}
