namespace Engine.Tests.Faults;

/// <summary>
/// One run of the workload with one fault or crash point, on a copy of a prepared disk, and
/// what the checks found. A prepared disk holds the pinned topics' holders, made without faults.
/// </summary>
internal static class FaultRun
{
    public const int Steps = 80;

    public sealed record Prepared(SimulatedDisk Disk, IReadOnlyList<Ledger.Record> Setup) : IDisposable
    {
        public void Dispose() => Disk.Dispose();
    }

    public static async Task<Prepared> PrepareAsync(Durability durability)
    {
        var disk = new SimulatedDisk();
        await using var engine = LogEngine.OpenOn(new FaultyMedium(disk, FaultPlan.CountOnly(), 0), FaultWorkload.Options(durability));
        var setup = await FaultWorkload.SetUpAsync(engine);
        return new Prepared(disk, setup);
    }

    /// <summary>Runs the workload with no fault, counting the operations of each kind.</summary>
    public static async Task<FaultPlan> CountAsync(Prepared prepared, Durability durability, int seed)
    {
        var plan = FaultPlan.CountOnly();
        using var disk = prepared.Disk.Clone();
        await using var engine = LogEngine.OpenOn(new FaultyMedium(disk, plan, seed), FaultWorkload.Options(durability));
        await new FaultWorkload(engine, NewLedger(prepared), plan, seed).RunAsync(Steps);
        return plan;
    }

    /// <summary>
    /// Runs the workload with <paramref name="plan"/>. A failing operation is checked twice: on
    /// what a power cut right after the workload leaves (only what was synced), and on the store
    /// as closing left it. A crash is checked on the disk the crash left.
    /// </summary>
    public static async Task<List<string>> RunAsync(Prepared prepared, FaultPlan plan, Durability durability, int seed, bool fsyncsLie = false)
    {
        var options = FaultWorkload.Options(durability);
        var ledger = NewLedger(prepared);
        plan.Crashed += ledger.Freeze;
        var problems = new List<string>();
        using var disk = prepared.Disk.Clone();
        SimulatedDisk? powerCut = null;
        try
        {
            LogEngine? engine = null;
            try
            {
                engine = LogEngine.OpenOn(new FaultyMedium(disk, plan, seed) { FsyncsLie = fsyncsLie }, options);
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.DiskFull or LogEngineError.StoreFailed && plan.Fired)
            {
                // Opening met the fault: it said so with the right code; what is on disk is checked below.
            }
            catch (Exception e)
            {
                problems.Add($"{plan}: opening threw {(e is LogEngineException le ? le.Code.ToString() : e.GetType().Name)}: {e.Message}");
            }
            if (engine is not null)
            {
                await new FaultWorkload(engine, ledger, plan, seed).RunAsync(Steps);
                if (plan.Crash is null) powerCut = disk.Crash(CrashMode.DropUnsynced, new Random(seed));
                var firedBeforeClose = plan.Fired; // closing swallows (and logs) what fails while it tidies up
                try
                {
                    await engine.DisposeAsync();
                }
                catch (Exception e)
                {
                    problems.Add($"{plan}: closing threw {e.GetType().Name}: {e.Message}");
                }
                if (firedBeforeClose && plan.Op == StorageOp.Flush && !engine.Store.Failures.IsFailed)
                    problems.Add($"{plan}: the failed fsync ({plan.FiredAt}) was forgotten: the store never refused writes");
            }
            problems.AddRange(ledger.Violations.Select(v => $"{plan}: {v}"));
            if (plan.Crash is not null)
            {
                if (plan.CrashImage is { } image) problems.AddRange(await Verifier.CheckAsync(image, ledger, options, $"{plan} (at {plan.FiredAt})"));
            }
            else
            {
                if (powerCut is not null) problems.AddRange(await Verifier.CheckAsync(powerCut, ledger, options, $"{plan} (at {plan.FiredAt}), then a power cut"));
                problems.AddRange(await Verifier.CheckAsync(disk, ledger, options, $"{plan} (at {plan.FiredAt}), then closed"));
            }
        }
        finally
        {
            powerCut?.Dispose();
            plan.CrashImage?.Dispose();
        }
        return problems;
    }

    private static Ledger NewLedger(Prepared prepared)
    {
        var ledger = new Ledger();
        foreach (var record in prepared.Setup) ledger.Committed([(record.Topic, record.Body)], [record.Id]);
        return ledger;
    }

    /// <summary>Which Ns a loop tries: all of them when asked (ENGINE_FAULTS_FULL=1), one (ENGINE_FAULTS_N=n, to debug it), else a fixed spread.</summary>
    public static IEnumerable<int> Sample(int total, int seed)
    {
        if (total <= 0) return [];
        if (Environment.GetEnvironmentVariable("ENGINE_FAULTS_N") is { Length: > 0 } only) return [int.Parse(only, System.Globalization.CultureInfo.InvariantCulture)];
        if (Environment.GetEnvironmentVariable("ENGINE_FAULTS_FULL") == "1") return Enumerable.Range(1, total);
        var random = new Random(seed);
        return new[] { 1, total }.Concat(Enumerable.Range(0, 4).Select(_ => 1 + random.Next(total))).Distinct().Order();
    }
}
