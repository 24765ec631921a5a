using System.Diagnostics;

namespace Engine.Torture;

/// <summary>
/// Runs the cycles: start a committer child on the store, let it work for a random moment, SIGKILL
/// it, reopen the store in this process (timed), and verify it against the ledger. A store whose
/// reopen fails is kept aside for inspection and the next cycle starts a new one.
/// </summary>
public static class TortureRunner
{
    private const int FailuresKept = 50;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<TortureSummary> RunAsync(TortureSettings settings, TextWriter? progress = null, CancellationToken ct = default)
    {
        var summary = new TortureSummary();
        var random = new Random(settings.Seed);
        Directory.CreateDirectory(settings.Path);
        var generation = 0;
        var storeCycles = 0;
        Ledger? ledger = null;
        string store = "";
        for (var cycle = 0; cycle < settings.Cycles; cycle++)
        {
            ct.ThrowIfCancellationRequested();
            if (ledger is null || storeCycles == settings.CyclesPerStore)
            {
                if (ledger is not null) AddStoreTotals(summary, ledger);
                if (store.Length > 0 && Directory.Exists(store)) Directory.Delete(store, recursive: true);
                store = Path.Combine(settings.Path, $"store-{generation++}");
                ledger = new Ledger();
                storeCycles = 0;
            }
            storeCycles++;
            var failures = await RunCycleAsync(settings, cycle, store, ledger, random, summary, ct);
            summary.Cycles++;
            if (failures.Count > 0)
            {
                summary.FailedCycles++;
                foreach (var failure in failures.Take(FailuresKept - summary.Failures.Count))
                    summary.Failures.Add($"cycle {cycle} ({settings.DurabilityOf(cycle)}, {store}): {failure}");
                if (progress is not null)
                    foreach (var failure in failures.Take(10))
                        await progress.WriteLineAsync($"FAILURE cycle {cycle} ({settings.DurabilityOf(cycle)}, {store}): {failure}");
                // Keep the evidence; go on with a new store.
                var kept = store + ".failed";
                if (!Directory.Exists(kept) && Directory.Exists(store)) Directory.Move(store, kept);
                else if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
                AddStoreTotals(summary, ledger);
                ledger = null;
            }
            if (progress is not null && (cycle + 1) % 10 == 0)
                await progress.WriteLineAsync($"{DateTime.UtcNow:HH:mm:ss} cycle {cycle + 1}/{settings.Cycles}: {summary.FailedCycles} failed, reopen p50 {summary.Percentile(50):F1} ms max {summary.ReopenMilliseconds.Max():F1} ms, {summary.AcknowledgedVerified} acknowledged records verified");
        }
        if (ledger is not null) AddStoreTotals(summary, ledger);
        return summary;
    }

    private static async Task<List<string>> RunCycleAsync(TortureSettings settings, int cycle, string store, Ledger ledger, Random random, TortureSummary summary, CancellationToken ct)
    {
        var durability = settings.DurabilityOf(cycle);
        var seed = random.Next();
        var delay = TimeSpan.FromMilliseconds(random.NextDouble() * settings.MaxKillDelay.TotalMilliseconds);
        // Batch numbers increase across cycles, so every batch of a store is unique and ordered.
        var batchBase = (long)(cycle + 1) << 32;
        using (var child = CommitterProcess.Start(store, durability, seed, batchBase, ledger))
        {
            try
            {
                await child.WaitReadyAsync(ReadyTimeout);
                // The random moment of the kill: the child runs on its own meanwhile.
                await Task.Delay(delay, ct);
                if (!child.Running) return [$"the committer died by itself: {child.Errors}"];
                await child.KillAsync();
            }
            catch (InvalidOperationException e)
            {
                return [e.Message];
            }
        }

        var options = Committer.StoreOptions(durability, seed) with { Gc = null };
        var opening = Stopwatch.StartNew();
        LogEngine engine;
        try
        {
            engine = LogEngine.Open(store, options);
        }
        catch (LogEngineException e)
        {
            return [$"reopen after the kill failed: {e.Code}: {e.Message}"];
        }
        summary.ReopenMilliseconds.Add(opening.Elapsed.TotalMilliseconds);
        await using (engine)
        {
            var recovery = engine.LastRecovery;
            if (recovery.Repairs.Count > 0) summary.RepairedOpens++;
            var result = await StoreVerifier.VerifyAsync(engine, ledger, ct);
            summary.RecordsRead += result.RecordsRead;
            summary.AcknowledgedVerified += result.AcknowledgedVerified;
            // A process kill leaves every written byte in the page cache: cutting a torn tail is
            // fine, but a cut through data the engine had made durable means something was lost.
            if (recovery.CutDurableData) return [$"reopen cut durable data at {recovery.CutAt}: {recovery.CutReason}", .. result.Failures];
            return [.. result.Failures];
        }
    }

    private static void AddStoreTotals(TortureSummary summary, Ledger ledger)
    {
        summary.AcknowledgedRecords += ledger.AcknowledgedRecords;
        summary.GcRuns += ledger.Gc.Runs;
        summary.GcPruned += ledger.Gc.Pruned;
        summary.GcRelocated += ledger.Gc.Relocated;
        summary.GcSegmentsDeleted += ledger.Gc.SegmentsDeleted;
        summary.GcChunksDeleted += ledger.Gc.ChunksDeleted;
    }
}
