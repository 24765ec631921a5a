using System.Diagnostics;
using Engine.Bench.Measuring;

namespace Engine.Bench.Workloads;

/// <summary>
/// The single-record commit loops, written once against <see cref="ILogClient"/> so the same code
/// runs in-process (<see cref="LogEngine"/>) and through IPC (<c>LogClient</c>): W1b's concurrent
/// loop, and one caller committing one record at a time. Each checks the topic's length and that
/// every returned id is distinct, so the topic must be new.
/// </summary>
internal static class SingleCommits
{
    /// <summary>
    /// <paramref name="records"/> single-record commits from <paramref name="callers"/> concurrent
    /// callers, caller <c>c</c> using <c>clients[c % clients.Count]</c> (one client: every caller
    /// shares it). Returns the time from the first commit to the last one's return.
    /// </summary>
    public static async Task<TimeSpan> ConcurrentAsync(IReadOnlyList<ILogClient> clients, string topic, int records, int callers,
        ReadOnlyMemory<byte> body, string who)
    {
        var ids = new string[records];
        var started = Stopwatch.GetTimestamp();
        // Callers.RunAsync gives caller c the indexes c, c + callers, ...: i % callers is the caller.
        await Callers.RunAsync(callers, records, async i => ids[i] = await clients[i % callers % clients.Count].CommitAsync(topic, body));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await CheckAsync(clients[0], topic, records, ids, who);
        return elapsed;
    }

    /// <summary>
    /// One caller commits <paramref name="records"/> records one at a time, each awaited before the
    /// next; returns the total time and each commit's latency (a round trip, through IPC).
    /// </summary>
    public static async Task<(TimeSpan Elapsed, LatencyRecorder Latency)> OneAtATimeAsync(ILogClient client, string topic, int records,
        ReadOnlyMemory<byte> body, string who)
    {
        var ids = new string[records];
        var latency = new LatencyRecorder(records);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < records; i++)
        {
            var commitStarted = Stopwatch.GetTimestamp();
            ids[i] = await client.CommitAsync(topic, body);
            latency.Record(i, commitStarted);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        await CheckAsync(client, topic, records, ids, who);
        return (elapsed, latency);
    }

    private static async Task CheckAsync(ILogClient client, string topic, int records, string[] ids, string who)
    {
        Expect.Count($"{who} records in the topic", records, await client.LengthAsync(topic));
        Expect.Count($"{who} distinct ids returned", records, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
