using System.Collections.Concurrent;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Gc;

/// <summary>
/// The GC (prune, relocation, deletion of segments and of index chunks) runs while writers create
/// new topics (each one a new index chunk the writer publishes) and readers read: round after
/// round, every record of the kept topics must read back with its bytes, during the run, after
/// it, and after reopening. The GC retires index chunks under the writer's lock
/// (<c>TopicIndex.DetachBelow</c> against <c>Publish</c>), so neither can lose the other's change.
/// </summary>
public sealed class GcRacesWritersTests
{
    private const int Rounds = 24;
    private const int WritersPerRound = 2;
    private const int TopicsPerWriter = 4;

    [Fact]
    public async Task Gc_beside_writers_creating_topics_and_readers_loses_nothing_and_the_store_reopens()
    {
        using var directory = TempDirectory.InMemory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var options = new LogEngineOptions
        {
            TimeProvider = clock,
            SegmentSize = LogEngineOptions.MinSegmentSize,
            Durability = Durability.None,
            CheckpointInterval = TimeSpan.FromHours(1),
            Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromDays(1) },
            Workers = 0,
        };
        var kept = new ConcurrentDictionary<string, List<(string Id, byte[] Body)>>();
        var totals = new GcReport();
        await using (var engine = LogEngine.Open(directory.Path, options))
        {
            var small = new byte[8];
            var wide = new byte[16 * 1024];
            for (var round = 0; round < Rounds; round++)
            {
                // What the GC frees: "bulk" fills index chunk 0 (65,536 slots) and is pruned past it;
                // "churn" fills segments around the kept topics' records, which get relocated.
                await engine.CommitAsync([.. Enumerable.Range(0, 3000).Select(_ => new CommitLog("bulk", small))]);
                for (var i = 0; i < 16; i++) await engine.CommitAsync("churn", wide);
                clock.Advance(TimeSpan.FromMinutes(1));

                var settled = kept.ToDictionary(k => k.Key, k => k.Value.ToList());
                var writers = Enumerable.Range(0, WritersPerRound).Select(w => Task.Run(() => WriteTopicsAsync(engine, round, w, kept)));
                using var stop = new CancellationTokenSource();
                var reader = Task.Run(() => ReadUntilStoppedAsync(engine, settled, stop.Token));
                var gc = engine.CollectGarbageAsync().AsTask();
                await Task.WhenAll([.. writers, gc]);
                await stop.CancelAsync();
                await reader;
                var report = await gc;
                totals = new GcReport
                {
                    RecordsPruned = totals.RecordsPruned + report.RecordsPruned,
                    RecordsRelocated = totals.RecordsRelocated + report.RecordsRelocated,
                    SegmentsDeleted = totals.SegmentsDeleted + report.SegmentsDeleted,
                    IndexChunksDeleted = totals.IndexChunksDeleted + report.IndexChunksDeleted,
                };
            }
            // The run must have done each kind of work it races against, or it proves little.
            Assert.True(totals.SegmentsDeleted > 0 && totals.RecordsRelocated > 0 && totals.IndexChunksDeleted > 0, totals.ToString());
            await AssertHoldsAsync(engine, kept, "after the rounds");
        }
        await using (var reopened = LogEngine.Open(directory.Path, options))
        {
            Assert.Empty(reopened.LastRecovery.Repairs);
            Assert.Empty(reopened.LastRecovery.RebuiltIndexes);
            await AssertHoldsAsync(reopened, kept, "after reopening");
            Assert.Equal("next", (await reopened.RangeAsync("churn", new RangeOptions { Start = await reopened.CommitAsync("churn", "next"u8.ToArray()) })).Single().BodyText);
        }
    }

    /// <summary>
    /// New topics, each pinned by a proc whose first claim stays open (so the GC keeps them, and
    /// compaction must move their records out of dying segments), written record by record.
    /// </summary>
    private static async Task WriteTopicsAsync(LogEngine engine, int round, int writer, ConcurrentDictionary<string, List<(string Id, byte[] Body)>> kept)
    {
        for (var t = 0; t < TopicsPerWriter; t++)
        {
            var topic = $"r{round}-w{writer}-t{t}";
            var records = new List<(string Id, byte[] Body)>();
            for (var i = 0; i < 4; i++)
            {
                var body = Body(round, writer * 100 + t * 10 + i);
                records.Add((await engine.CommitAsync(topic, body), body));
                if (i == 0) await engine.ProcAsync(topic, new ProcOptions { Name = $"pin-{topic}", Count = 1, ReclaimTimeout = TimeSpan.FromDays(30) });
            }
            kept[topic] = records;
        }
    }

    private static async Task ReadUntilStoppedAsync(LogEngine engine, Dictionary<string, List<(string Id, byte[] Body)>> settled, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && settled.Count > 0)
        {
            await AssertHoldsAsync(engine, settled, "while the GC ran");
            await Task.Yield();
        }
    }

    private static async Task AssertHoldsAsync(LogEngine engine, IReadOnlyDictionary<string, List<(string Id, byte[] Body)>> expected, string when)
    {
        foreach (var (topic, records) in expected)
        {
            var read = await engine.RangeAsync(topic);
            Assert.True(records.Count == read.Count, $"{when}: {topic} has {read.Count} records, expected {records.Count}");
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(records[i].Id, read[i].Id);
                Assert.True(records[i].Body.AsSpan().SequenceEqual(read[i].Body.Span), $"{when}: {topic} {records[i].Id} reads back different bytes");
            }
        }
    }

    private static byte[] Body(int round, int index)
    {
        var body = new byte[200 + (round * 131 + index * 17) % 3000];
        for (var i = 0; i < body.Length; i++) body[i] = (byte)(round * 7 + index * 3 + i);
        return body;
    }
}
