using System.CommandLine;
using Engine;
using Engine.Torture;

// engine torture: `--cycles N --path DIR [--seed S] [--durability Always|Batched|Both]` runs the
// kill -9 cycles and prints a summary (exit code 1 if any cycle failed); `child` is the committer
// the cycles start and kill.
var cycles = new Option<int>("--cycles") { Description = "How many kill-reopen-verify cycles", DefaultValueFactory = _ => 100 };
var path = new Option<string>("--path") { Description = "The folder the stores live in", Required = true };
var seed = new Option<int>("--seed") { Description = "Seeds kill moments and workloads; a run repeats with it", DefaultValueFactory = _ => 1 };
var mode = new Option<DurabilityMode>("--durability") { Description = "Always, Batched or Both (alternating)", DefaultValueFactory = _ => DurabilityMode.Both };
var perStore = new Option<int>("--cycles-per-store") { Description = "Kills one store lives through before a new one starts", DefaultValueFactory = _ => 20 };
var maxDelay = new Option<int>("--max-kill-delay-ms") { Description = "The kill comes at most this long after the child is ready", DefaultValueFactory = _ => 1500 };

var root = new RootCommand("kill -9 torture for the Engine store: commit, SIGKILL, reopen, verify every acknowledged record")
{
    cycles, path, seed, mode, perStore, maxDelay,
};
root.SetAction(async (result, ct) =>
{
    var settings = new TortureSettings
    {
        Cycles = result.GetValue(cycles),
        Path = Path.GetFullPath(result.GetRequiredValue(path)),
        Seed = result.GetValue(seed),
        Durability = result.GetValue(mode),
        CyclesPerStore = result.GetValue(perStore),
        MaxKillDelay = TimeSpan.FromMilliseconds(result.GetValue(maxDelay)),
    };
    var summary = await TortureRunner.RunAsync(settings, Console.Out, ct);
    Console.WriteLine(summary);
    return summary.FailedCycles == 0 ? 0 : 1;
});

var childPath = new Option<string>("--path") { Required = true };
var childDurability = new Option<Durability>("--durability") { DefaultValueFactory = _ => Durability.Always };
var childSeed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
var batchBase = new Option<long>("--batch-base") { DefaultValueFactory = _ => 0 };
var child = new Command("child", "The committer: runs until killed, reporting each acknowledged operation on stdout")
{
    childPath, childDurability, childSeed, batchBase,
};
child.SetAction(async (result, ct) =>
{
    var childSeedValue = result.GetValue(childSeed);
    // One write per report line: a line is whole in the pipe or not there at all.
    await using var output = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16) { AutoFlush = false };
    await using var engine = LogEngine.Open(result.GetRequiredValue(childPath), Committer.StoreOptions(result.GetValue(childDurability), childSeedValue));
    var committer = new Committer(engine, output, childSeedValue, result.GetValue(batchBase));
    await committer.StartAsync(ct);
    await committer.RunAsync(-1, ct);
    return 0;
});
root.Subcommands.Add(child);

// Checks a store on its own (no ledger: the record-level, batch, pin and worker checks only),
// e.g. one a failed cycle kept aside.
var verifyPath = new Option<string>("--path") { Required = true };
var verify = new Command("verify", "Open a torture store and check what can be checked without the children's reports") { verifyPath };
verify.SetAction(async (result, ct) =>
{
    await using var engine = LogEngine.Open(result.GetRequiredValue(verifyPath), Committer.StoreOptions(Durability.Always, 0) with { Gc = null });
    foreach (var repair in engine.LastRecovery.Repairs) Console.WriteLine($"repair: {repair}");
    var checkedStore = await StoreVerifier.VerifyAsync(engine, Ledger.Unknown(), ct);
    foreach (var failure in checkedStore.Failures) Console.WriteLine($"FAILURE {failure}");
    foreach (var topic in TortureTopics.All.Select(TortureTopics.Name))
    {
        try
        {
            var first = await engine.RangeAsync(topic, new RangeOptions { Limit = 1 }, ct);
            var last = await engine.RevRangeAsync(topic, new RangeOptions { Limit = 1 }, ct);
            var batch = first.Count == 0 ? null : RecordBody.TryDecode(first[0].Body.Span, out _)?.Batch;
            Console.WriteLine($"topic {topic}: {await engine.LengthAsync(topic, ct)} kept, {first.FirstOrDefault()?.Id} (batch {batch}) .. {last.FirstOrDefault()?.Id}");
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
        }
    }
    foreach (var proc in TortureTopics.Pinned.Select(TortureTopics.PinProc).Append(TortureTopics.Worker))
    {
        try
        {
            var state = await engine.InspectProcAsync(proc, ct);
            Console.WriteLine($"proc {proc}: {state.Status}, acked '{state.LastAckedRange}', claimed '{state.LastClaimedRange}', created {state.CreatedAt:HH:mm:ss.fff}");
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
        {
        }
    }
    return checkedStore.Failures.Count == 0 ? 0 : 1;
});
root.Subcommands.Add(verify);

return await root.Parse(args).InvokeAsync();
