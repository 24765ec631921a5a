using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Damage;

/// <summary>
/// A store whose GC left a hole in the middle of its log, and live records on both sides of it:
/// segment 0 is pinned by a proc's open claim (with kept records behind it, over a quarter of the
/// segment, so compaction leaves it where it is); the segments after it held only churn, which the
/// GC pruned and deleted; after the GC, records of "kept" fill several more segments. Built once
/// per variant:
/// <list type="bullet">
/// <item><see cref="Clean"/>: closed cleanly, so the newest checkpoint lies at the end of the log;</item>
/// <item><see cref="Crashed"/>: the files as a SIGKILL leaves them (copied while open), so the newest
///   checkpoint is the GC's, and replay reads every segment written after the hole.</item>
/// </list>
/// Everything is committed under <c>Always</c>, so every frame's <c>syncedUpTo</c> proves that the
/// frames before it were durable.
/// </summary>
internal sealed class GcHoleStore
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private static readonly Lazy<GcHoleStore> CleanStore = new(() => new GcHoleStore(closeCleanly: true));
    private static readonly Lazy<GcHoleStore> CrashedStore = new(() => new GcHoleStore(closeCleanly: false));

    public static GcHoleStore Clean => CleanStore.Value;

    public static GcHoleStore Crashed => CrashedStore.Value;

    /// <summary>The topics with live records: "pinned" before the hole, "kept" after it.</summary>
    public static readonly string[] Topics = ["pinned", "kept"];

    private GcHoleStore(bool closeCleanly)
    {
        using var directory = TempDirectory.InMemory();
        var clock = new FakeTimeProvider(Start);
        Files = StoreFiles.Image(directory.Path, DamageStore.Options(clock), closeCleanly, engine =>
        {
            BuildAsync(engine, clock).GetAwaiter().GetResult();
            Capture(engine);
        });
        Layout = LogLayout.Read(Files);
    }

    /// <summary>The store's files (LOCK excluded), as found after building.</summary>
    public StoreFiles Files { get; }

    /// <summary>The frames of every segment file.</summary>
    public LogLayout Layout { get; }

    /// <summary>Every live record, as the engine read it back before the store was closed or copied.</summary>
    public List<ExpectedRecord> Expected { get; } = [];

    /// <summary>What <c>InspectProcAsync</c> said of the proc whose claim pins segment 0.</summary>
    public ProcState Pin { get; private set; } = null!;

    /// <summary>Segment 0, before the hole: the claim of the proc "pin" keeps it.</summary>
    public SegmentLayout Pinned => Layout.Segments[0];

    /// <summary>The segments after the hole, in order (for <see cref="Crashed"/>, the last is the empty spare).</summary>
    public IReadOnlyList<SegmentLayout> AfterHole => Layout.Segments[1..];

    /// <summary>The frame (log positions) that holds <paramref name="record"/>.</summary>
    public (long Start, long End) FrameOf(ExpectedRecord record) => Layout.FrameOf(record.Position);

    /// <summary>The record in the middle of <paramref name="segment"/>: damage there has records of the segment on both sides.</summary>
    public ExpectedRecord MiddleRecordOf(SegmentLayout segment)
    {
        var inside = Expected.Where(r => r.Position >= segment.BasePosition && r.Position < segment.BasePosition + segment.Capacity).ToList();
        return inside[inside.Count / 2];
    }

    /// <summary>The options a damaged copy is opened with.</summary>
    public static LogEngineOptions OpenOptions(bool repair) => DamageStore.Options(new FakeTimeProvider(Start.AddHours(1))) with { RepairCorruption = repair };

    private static async Task BuildAsync(LogEngine engine, FakeTimeProvider clock)
    {
        await engine.CommitAsync("pinned", "pinned"u8.ToArray());
        await engine.ProcAsync("pinned", new ProcOptions { Name = "pin", Count = 1, ReclaimTimeout = TimeSpan.FromDays(30) });
        for (var i = 0; i < 40; i++) await engine.CommitAsync("pinned", DamageStore.Body(1, i, 8 * 1024));
        for (var i = 0; i < 300; i++) await engine.CommitAsync("churn", DamageStore.Body(2, i, 16 * 1024));
        clock.Advance(TimeSpan.FromMinutes(5));
        var gc = await engine.CollectGarbageAsync();
        Assert.True(gc.SegmentsDeleted >= 2, $"GC: {gc}");
        for (var i = 0; i < 200; i++) await engine.CommitAsync("kept", DamageStore.Body(3, i, 16 * 1024));
    }

    private void Capture(LogEngine engine)
    {
        foreach (var topic in Topics)
        {
            Assert.True(engine.Store.State.Topics.TryGet(topic, out var state));
            foreach (var entry in engine.RangeAsync(topic).AsTask().GetAwaiter().GetResult())
            {
                var seq = DamageStore.SeqOf(entry.Id);
                Expected.Add(new ExpectedRecord(topic, seq, entry.Id, entry.Body.ToArray(), state!.Index.Get(seq).Position));
            }
        }
        Pin = engine.InspectProcAsync("pin").AsTask().GetAwaiter().GetResult();
    }
}
