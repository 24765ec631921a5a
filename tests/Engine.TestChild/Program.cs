using System.Buffers.Binary;
using Engine;

// Commands (each prints facts to stdout and flushes after every line):
//   commit-loop DIR SEED   commit random batches across two topics under Durability.Always,
//                          printing "ACK <batch> <count>" after each commit returns; runs until killed
//   hold DIR               open the store, print "READY", wait for a line on stdin, close
//   ipc-hold ADDRESS       connect to a host with LogClient, print "LIVE <name>" for a live proc
//                          whose wait never ends, keep commits in flight to "stream", print
//                          "READY" once 100 have been acknowledged; runs until killed
return args switch
{
    ["ipc-hold", var address] => await IpcHoldAsync(address),
    ["commit-loop", var dir, var seed] => await CommitLoopAsync(dir, int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture)),
    ["hold", var dir] => await HoldAsync(dir),
    ["proc-loop", var dir, var seed] => await ProcLoopAsync(dir, int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static async Task<int> CommitLoopAsync(string dir, int seed)
{
    var random = new Random(seed);
    await using var engine = LogEngine.Open(dir, new LogEngineOptions { Durability = Durability.Always, SegmentSize = 1024 * 1024 });
    var batch = await NextBatchNumberAsync(engine);
    Console.WriteLine("READY");
    while (true)
    {
        var count = random.Next(1, 6);
        var logs = new CommitLog[count];
        for (var i = 0; i < count; i++)
            logs[i] = new CommitLog(random.Next(2) == 0 ? "a" : "b", CrashRecord.Encode(batch, i, count, random.Next(0, 3000)));
        await engine.CommitAsync(logs);
        Console.WriteLine($"ACK {batch} {count}");
        batch++;
    }
}

// Batches are numbered across runs so that every batch in the store is unique.
static async Task<long> NextBatchNumberAsync(LogEngine engine)
{
    long next = 0;
    foreach (var topic in new[] { "a", "b" })
    {
        try
        {
            var last = await engine.RevRangeAsync(topic, new RangeOptions { Limit = 1 });
            if (last.Count > 0) next = Math.Max(next, CrashRecord.Decode(last[0].Body.Span).Batch + 1);
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
        }
    }
    return next;
}

// Claims from "in" and ack-commits one "out" record per input (its body: the input's id),
// printing "ACKED <range>" after each; an open claim left by a killed predecessor is reclaimed
// first, so each run starts where the log says the proc is. After every 10 ack-commits it waits
// for a line on stdin: the parent reads as it goes, so the loop cannot finish every input before
// the parent's kill lands (it did, in 0.1 s, when the parent was slow to read), while the kill
// still lands at any point of the ten ack-commits in flight.
static async Task<int> ProcLoopAsync(string dir, int seed)
{
    var random = new Random(seed);
    await using var engine = LogEngine.Open(dir, new LogEngineOptions { Durability = Durability.Always, SegmentSize = 1024 * 1024 });
    try
    {
        await engine.ReclaimProcAsync("p");
    }
    catch (LogEngineException e) when (e.Code is LogEngineError.NothingToReclaim or LogEngineError.ProcNotFound)
    {
    }
    Console.WriteLine("READY");
    const int stride = 10; // ack-commits made before waiting for the parent's go-ahead
    var acked = 0;
    while (true)
    {
        var batch = await engine.ProcAsync("in", new ProcOptions { Name = "p", Count = random.Next(1, 6), ReclaimTimeout = TimeSpan.FromHours(1) });
        if (batch.Count == 0)
        {
            Console.WriteLine("DONE");
            await Console.In.ReadLineAsync();
            return 0;
        }
        var result = await engine.AckCommitAsync("p", [.. batch.Select(e => new CommitLog("out", System.Text.Encoding.UTF8.GetBytes(e.Id)))]);
        Console.WriteLine($"ACKED {result.AckedRange}");
        if (++acked % stride == 0) await Console.In.ReadLineAsync();
    }
}

static async Task<int> HoldAsync(string dir)
{
    // No background checkpoint while held: the parent checks that no byte of these files changes.
    await using var engine = LogEngine.Open(dir, new LogEngineOptions { CheckpointInterval = TimeSpan.FromHours(1) });
    await engine.CommitAsync("held", "x"u8.ToArray());
    Console.WriteLine("READY");
    await Console.In.ReadLineAsync();
    return 0;
}

// A client caught mid-request when it is killed: a live proc waits on "held" (nobody commits
// there) and four loops keep commits to "stream" in flight on the same connection.
static async Task<int> IpcHoldAsync(string address)
{
    await using var client = await Engine.Ipc.LogClient.ConnectAsync(new Engine.Ipc.ConnectOptions { Socket = address, Timeout = TimeSpan.FromSeconds(30) });
    var live = client.LiveProc("held", LiveMode.Live);
    Console.WriteLine($"LIVE {live.Name}");
    var waiting = Task.Run(async () =>
    {
        await foreach (var batch in live.ChangesAsync())
            Console.WriteLine($"CLAIMED {batch.Count}");
    });
    var acknowledged = 0L;
    var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var commits = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
    {
        var body = new byte[256];
        while (true)
        {
            await client.CommitAsync("stream", body);
            if (Interlocked.Increment(ref acknowledged) == 100) ready.TrySetResult();
        }
    })).ToList();
    var ended = await Task.WhenAny([ready.Task, waiting, .. commits]);
    if (ended != ready.Task)
    {
        Console.WriteLine($"FAILED {ended.Exception?.GetBaseException().Message}");
        return 1;
    }
    Console.WriteLine("READY");
    ended = await Task.WhenAny([waiting, .. commits]);
    Console.WriteLine($"FAILED {ended.Exception?.GetBaseException().Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: commit-loop DIR SEED | hold DIR | proc-loop DIR SEED | ipc-hold ADDRESS");
    return 2;
}

/// <summary>A crash-test record: which batch it belongs to, its place in it, the batch size, and padding.</summary>
public static class CrashRecord
{
    public static byte[] Encode(long batch, int index, int count, int padding)
    {
        var body = new byte[16 + padding];
        BinaryPrimitives.WriteInt64LittleEndian(body, batch);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), index);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(12), count);
        for (var i = 16; i < body.Length; i++) body[i] = (byte)(batch + i);
        return body;
    }

    public static (long Batch, int Index, int Count) Decode(ReadOnlySpan<byte> body) =>
        (BinaryPrimitives.ReadInt64LittleEndian(body), BinaryPrimitives.ReadInt32LittleEndian(body[8..]), BinaryPrimitives.ReadInt32LittleEndian(body[12..]));

    public static bool PaddingIntact(ReadOnlySpan<byte> body, long batch)
    {
        for (var i = 16; i < body.Length; i++)
            if (body[i] != (byte)(batch + i)) return false;
        return true;
    }
}
