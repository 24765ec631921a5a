using FASTER.core;

namespace Engine.Bench.Baselines;

/// <summary>
/// FasterLog's side of Engine's <see cref="Durability.Batched"/> contract: a commit every flush
/// interval, so an entry is on disk within one interval of its enqueue, as an Engine record is.
/// Committing after every batch instead would make FasterLog write and sync far more often than
/// Engine does under the same promise.
/// </summary>
internal static class PeriodicCommits
{
    /// <summary>Commits without waiting every <paramref name="interval"/> until <paramref name="ct"/> is cancelled; the caller then issues the final, awaited commit.</summary>
    public static async Task RunAsync(FasterLog log, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) log.Commit(spinWait: false);
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }
}
