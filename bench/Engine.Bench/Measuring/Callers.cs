namespace Engine.Bench.Measuring;

/// <summary>Runs operations from several concurrent callers, as the "16 concurrent callers" workloads ask.</summary>
internal static class Callers
{
    /// <summary>
    /// Runs <paramref name="operations"/> calls of <paramref name="operation"/> (given the operation's
    /// index) from <paramref name="callers"/> tasks; caller c does operations c, c + callers, ...
    /// so each index runs exactly once and callers need no shared counter.
    /// </summary>
    public static Task RunAsync(int callers, int operations, Func<int, ValueTask> operation)
    {
        var tasks = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            tasks[c] = Task.Run(async () =>
            {
                for (var i = caller; i < operations; i += callers) await operation(i);
            });
        }
        return Task.WhenAll(tasks);
    }
}
