using System.Collections.Concurrent;

namespace Engine.Storage;

/// <summary>
/// Runs what the writer prepares ahead of need (the next segment, a topic's next index chunk, the
/// tail's disk blocks) on threads of the engine's own, never on the thread pool. The writer may
/// have to wait for such work: a roll takes the segment made ahead, a topic's next chunk is taken
/// when its seqs reach it. On the thread pool, that work starved whenever the application's
/// callers kept the pool's threads busy: 16 callers whose commits completed at once, and so never
/// yielded their threads, made 11k commits a second instead of 850k (a probe, 2 cores), each
/// commit that needed the work waiting for the pool to add a thread. Two threads, so that a slow
/// file system call (an fsync of a new segment) does not hold up a chunk behind it.
/// </summary>
internal static class AheadWork
{
    private const int Threads = 2;
    private static readonly BlockingCollection<Action> Queue = [];
    private static int _started;

    /// <summary>Runs <paramref name="work"/> on an engine thread; the task ends as it does (its exception included).</summary>
    public static Task<T> Start<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0) StartThreads();
        return done.Task;
    }

    /// <summary>As <see cref="Start{T}"/>, for work with no result.</summary>
    public static Task Start(Action work) => Start(() =>
    {
        work();
        return true;
    });

    /// <summary>For tests: whether the calling thread is one of these.</summary>
    public static bool IsAheadThread => Thread.CurrentThread.Name == ThreadName;

    private const string ThreadName = "engine-ahead";

    private static void StartThreads()
    {
        for (var i = 0; i < Threads; i++) new Thread(Run) { IsBackground = true, Name = ThreadName }.Start();
    }

    private static void Run()
    {
        foreach (var work in Queue.GetConsumingEnumerable()) work();
    }
}
