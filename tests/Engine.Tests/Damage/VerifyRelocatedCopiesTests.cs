using Engine.Host.Offline;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Damage;

/// <summary>
/// verify on a log that still holds old copies of records the GC relocated (their segments put
/// back after the GC deleted them, as a restore from an older backup would): each record is judged
/// by its newest copy, which the index points at, though segments are checked at once and the
/// newest copy lies in a later segment than the old one.
/// </summary>
public sealed class VerifyRelocatedCopiesTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    /// <summary>A store whose GC relocated "b" records out of churn segments, with those segments back in place.</summary>
    private static async Task<string> StoreWithOldCopiesAsync(TempDirectory dir)
    {
        var store = dir.Combine("store");
        var clock = new FakeTimeProvider(Start);
        var options = new LogEngineOptions
        {
            TimeProvider = clock,
            SegmentSize = LogEngineOptions.MinSegmentSize,
            Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromDays(1) },
            Workers = 0,
        };
        var saved = dir.Combine("saved");
        Directory.CreateDirectory(saved);
        await using (var engine = LogEngine.Open(store, options))
        {
            for (var i = 0; i < 150; i++)
            {
                if (i % 30 == 29) await engine.CommitAsync([new CommitLog("churn", DamageStore.Body(2, i, 16 * 1024)), new CommitLog("b", DamageStore.Body(3, i, 300))]);
                else await engine.CommitAsync("churn", DamageStore.Body(2, i, 16 * 1024));
            }
            // A proc's open claim keeps every "b" record live, so the GC copies them forward.
            await engine.ProcAsync("b", new ProcOptions { Name = "pb", Count = 1, ReclaimTimeout = TimeSpan.FromDays(30) });
            foreach (var segment in Directory.GetFiles(Path.Combine(store, "log"), "*.seg")) File.Copy(segment, Path.Combine(saved, Path.GetFileName(segment)));
            clock.Advance(TimeSpan.FromMinutes(5));
            var gc = await engine.CollectGarbageAsync();
            Assert.True(gc.SegmentsDeleted >= 1 && gc.RecordsRelocated >= 1, $"GC: {gc}");
        }
        var putBack = 0;
        foreach (var segment in Directory.GetFiles(saved))
        {
            var target = Path.Combine(store, "log", Path.GetFileName(segment));
            if (File.Exists(target)) continue;
            File.Copy(segment, target);
            putBack++;
        }
        Assert.True(putBack >= 1, "the GC deleted no segment the test could put back");
        // Not opened again: an engine would delete the segments its checkpoint no longer lists.
        return store;
    }

    [Fact]
    public async Task Old_copies_of_relocated_records_are_not_reported()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithOldCopiesAsync(dir);
        var report = Verifier.Run(Host.Offline.StoreFiles.Find(store));

        Assert.True(report.Clean, string.Join("\n", report.Problems.Select(p => $"{p.File} @{p.Offset}: {p.What}")));
        // 150 churn and 5 "b" records in the segments put back, and the "b" copies the GC made.
        Assert.True(report.Records > 155, $"{report.Records} records walked: the old copies were not in the log");
    }

    [Fact]
    public async Task A_record_whose_newest_copy_is_not_where_its_slot_points_is_reported_once_at_its_slot()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithOldCopiesAsync(dir);
        // Point seq 0's slot at a later position where no record starts: its old copy then has
        // a slot pointing further on, which no newer copy answers.
        var chunk = Path.Combine(store, "index", "00000002-00000000.idx");
        var bytes = File.ReadAllBytes(chunk);
        const int slot = Index.IndexChunkHeader.Length;
        Assert.True(Index.IndexEntry.TryRead(bytes.AsSpan(slot, Index.IndexEntry.Size), 2, 0, out var position, out var timestamp), "topic 2 is not b, or its seq 0 has no slot");
        Index.IndexEntry.Write(bytes.AsSpan(slot, Index.IndexEntry.Size), 2, 0, position + 8, timestamp);
        File.WriteAllBytes(chunk, bytes);

        var report = Verifier.Run(Host.Offline.StoreFiles.Find(store));

        var problem = Assert.Single(report.Problems);
        Assert.Equal((Path.Combine("index", "00000002-00000000.idx"), (long)slot), (problem.File, problem.Offset));
        // Named at its newest copy, the one the slot pointed at before, not at the old one.
        Assert.Contains($"the slot says position {position + 8} ts {timestamp}, the record is at {position} ts", problem.What, StringComparison.Ordinal);
    }
}
