using Engine.Ids;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Damage;

/// <summary>
/// A small real store with something of every kind the engine writes: several topics in atomic
/// multi-topic batches, procs with claims, acks and an ack-commit, segments of the smallest size
/// (so a few MiB make several, with seals), a GC run that pruned, compacted (relocated copies) and
/// retired segments from the middle of the log (a catalog with holes) and index chunks, and
/// checkpoints both before and after part of the log. Built once per variant:
/// <list type="bullet">
/// <item><see cref="Clean"/>: closed cleanly (a final clean checkpoint, no spare segment);</item>
/// <item><see cref="Crashed"/>: the files as a SIGKILL leaves them (copied while open: the page
///   cache survives the process), with log written after the newest checkpoint and an empty spare.</item>
/// </list>
/// Every record is committed under <c>Always</c>, so every frame carries a <c>syncedUpTo</c> that
/// can prove earlier bytes were durable.
/// </summary>
internal sealed class DamageStore : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private static readonly Lazy<DamageStore> CleanStore = new(() => new DamageStore(closeCleanly: true));
    private static readonly Lazy<DamageStore> CrashedStore = new(() => new DamageStore(closeCleanly: false));

    public static DamageStore Clean => CleanStore.Value;

    public static DamageStore Crashed => CrashedStore.Value;

    public static readonly string[] Topics = ["a", "b", "c", "churn"];

    private readonly TempDirectory _directory = new();

    private DamageStore(bool closeCleanly)
    {
        ClosedCleanly = closeCleanly;
        var clock = new FakeTimeProvider(Start);
        Files = StoreFiles.Image(_directory.Path, Options(clock), closeCleanly, engine =>
        {
            BuildAsync(engine, clock).GetAwaiter().GetResult();
            Capture(engine);
        });
        Layout = LogLayout.Read(Files);
        Positions = [.. Expected.Select(r => Layout.FrameOf(r.Position))];
    }

    public bool ClosedCleanly { get; }

    /// <summary>The store's files (LOCK excluded), as found after building.</summary>
    public StoreFiles Files { get; }

    /// <summary>The frames of every segment file.</summary>
    public LogLayout Layout { get; }

    /// <summary>Every kept record, as the engine read it back before the store was closed or copied.</summary>
    public List<ExpectedRecord> Expected { get; } = [];

    /// <summary>The frame (log positions) holding the copy of each record the index points at, by <see cref="Expected"/> index.</summary>
    public List<(long Start, long End)> Positions { get; }

    /// <summary>What <c>InspectProcAsync</c> says of each proc.</summary>
    public Dictionary<string, ProcState> Procs { get; } = [];

    /// <summary>The options a damage store is built with (GcHoleStore builds with them too).</summary>
    public static LogEngineOptions Options(TimeProvider clock) => new()
    {
        TimeProvider = clock,
        Durability = Durability.Always,
        SegmentSize = LogEngineOptions.MinSegmentSize,
        CheckpointBytes = long.MaxValue / 2,
        CheckpointInterval = TimeSpan.FromHours(1),
        Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromDays(1) },
        Workers = 0,
    };

    /// <summary>The options a damaged copy is opened with (the clock is where building left it).</summary>
    public LogEngineOptions OpenOptions(bool repair) => Options(new FakeTimeProvider(Start.AddHours(1))) with { RepairCorruption = repair };

    private static async Task BuildAsync(LogEngine engine, FakeTimeProvider clock)
    {
        // Segment 0: "a" pinned by a claim that stays open, and kept records behind it (over a
        // quarter of the segment, so compaction leaves the segment where it is).
        await engine.CommitAsync("a", "pinned"u8.ToArray());
        await engine.ProcAsync("a", new ProcOptions { Name = "pin", Count = 1, ReclaimTimeout = TimeSpan.FromDays(30) });
        for (var i = 0; i < 40; i++) await engine.CommitAsync("a", Body(1, i, 8 * 1024));
        // Prunable churn over the next segments, with a few "b" records among it that compaction
        // copies forward before those segments are retired.
        for (var i = 0; i < 150; i++)
        {
            if (i % 30 == 29) await engine.CommitAsync([new CommitLog("churn", Body(2, i, 16 * 1024)), new CommitLog("b", Body(3, i, 300))]);
            else await engine.CommitAsync("churn", Body(2, i, 16 * 1024));
        }
        await engine.ProcAsync("b", new ProcOptions { Name = "pb", Count = 2, ReclaimTimeout = TimeSpan.FromDays(30) });
        await engine.AckAsync("pb");
        clock.Advance(TimeSpan.FromMinutes(5));
        var gc = await engine.CollectGarbageAsync();
        Assert.True(gc.SegmentsDeleted >= 1 && gc.RecordsRelocated >= 1, $"GC: {gc}");

        // After the GC: batches across topics, claims, acks and ack-commits, over two more segments,
        // with a checkpoint in the middle so that part of the log lies after it.
        for (var round = 0; round < 60; round++)
        {
            if (round == 30) engine.Store.WriteCheckpoint(clean: false);
            clock.Advance(TimeSpan.FromMilliseconds(7));
            var logs = Enumerable.Range(0, 1 + round % 3)
                .Select(i => new CommitLog(Topics[(round + i) % Topics.Length], Body(4 + round, i, 100 + (round * 997 + i * 331) % 12_000)))
                .ToList();
            await engine.CommitAsync(logs);
            if (round % 7 == 3)
            {
                var claimed = await engine.ProcAsync("b", new ProcOptions { Name = "pb", Count = 3 });
                if (claimed.Count > 0 && round % 2 == 0) await engine.AckAsync("pb");
                else if (claimed.Count > 0) await engine.AckCommitAsync("pb", [new CommitLog("c", Body(100 + round, 0, 40))]);
            }
        }
    }

    private void Capture(LogEngine engine)
    {
        foreach (var topic in Topics)
        {
            Assert.True(engine.Store.State.Topics.TryGet(topic, out var state));
            foreach (var entry in engine.RangeAsync(topic).AsTask().GetAwaiter().GetResult())
                Expected.Add(new ExpectedRecord(topic, SeqOf(entry.Id), entry.Id, entry.Body.ToArray(), state!.Index.Get(SeqOf(entry.Id)).Position));
        }
        foreach (var proc in new[] { "pin", "pb" })
            Procs[proc] = engine.InspectProcAsync(proc).AsTask().GetAwaiter().GetResult();
    }

    public static long SeqOf(string id) => LogId.TryParse(id, out _, out var seq) ? seq : throw new ArgumentException(id);

    /// <summary>A body that differs for every (batch, index) and has the given length.</summary>
    public static byte[] Body(int batch, int index, int length)
    {
        var body = new byte[length];
        for (var i = 0; i < body.Length; i++) body[i] = (byte)(batch * 31 + index * 7 + i * 13);
        return body;
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>A record as it must read back: its bytes and where its (latest) copy lies in the log.</summary>
internal sealed record ExpectedRecord(string Topic, long Seq, string Id, byte[] Body, long Position);
