using Engine;

// A console app that references the Engine and Engine.Workers packages; this is its whole Program.cs.
await using var engine = LogEngine.Open("data");                  // or LogEngine.OpenInMemory()
var id  = await engine.CommitAsync("numbers", "1"u8.ToArray());   // "1732464000000-0"
var ids = await engine.CommitAsync([new CommitLog("numbers", "2"u8.ToArray()),
                                    new CommitLog("letters", "a"u8.ToArray())]); // atomic across topics
var latest = await engine.RevRangeAsync("numbers", new RangeOptions { Limit = 1 });
Console.WriteLine($"{id}, {ids.Count} more; latest: {latest[0].BodyText}");

// A proc: a named, persistent cursor. Claim, process, then ack and commit in one atomic step.
var batch = await engine.ProcAsync("numbers", new ProcOptions { Name = "doubler", Count = 10 });
await engine.AckCommitAsync("doubler", [.. batch.Select(e => CommitLog.Json("doubled", e.BodyAs<int>() * 2))]);

// A live proc: batches are pushed as records arrive (no polling). This one takes one batch and stops.
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await using (var live = engine.LiveProc("numbers", LiveMode.All, count: 10))
{
    await foreach (var records in live.ChangesAsync(timeout.Token))
    {
        Console.WriteLine($"live: {records.Count} records");
        await live.AckAsync();
        break;
    }
}

// A system proc: a processor DLL run in worker processes, its output committed to "incremented".
// The DLL is the sample processor; build it first: dotnet build workers/Samples/Increment -c Release -o processors
await engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["numbers"], To = ["incremented"], Processor = "processors/Increment.dll" });
await engine.WaitForProcsAsync(["inc"]);
foreach (var entry in await engine.RangeAsync("incremented")) Console.WriteLine($"incremented: {entry.BodyText}");
