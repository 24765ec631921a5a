using Engine.Index;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Gc;

/// <summary>
/// An index chunk wholly below its topic's first kept seq is garbage whether or not it is mapped.
/// A store reopened after a prune whose chunks were not yet deleted (the process was killed after
/// the prune frame, or after GC's checkpoints but before it deleted the files) maps only the
/// chunks of kept seqs: the old chunk files were never mapped again, so no GC ever deleted them,
/// and each one kept 1 MiB of disk for good. Found by the kill -9 torture run.
/// </summary>
public sealed class StaleIndexChunkTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    [Fact]
    public async Task A_chunk_file_below_the_first_kept_seq_left_by_a_crash_is_deleted_by_the_next_collection()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Start);
        var options = new LogEngineOptions { TimeProvider = clock, Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromHours(1) } };
        var firstChunk = "";
        var kept = dir.Combine("chunk-0.copy");
        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            for (var i = 0; i < 9; i++)
                await engine.CommitAsync([.. Enumerable.Range(0, TopicIndex.SlotsPerChunk / 8).Select(_ => new CommitLog("t", new byte[] { 1 }))]);
            firstChunk = Directory.GetFiles(dir.Combine("index"), "*-00000000.idx").Single();
            File.Copy(firstChunk, kept);
            clock.Advance(TimeSpan.FromMinutes(1));

            var report = await engine.CollectGarbageAsync();

            Assert.Equal(1, report.IndexChunksDeleted);
            Assert.False(File.Exists(firstChunk));
        }
        // As if the process had died after GC's checkpoints, before it deleted the file.
        File.Copy(kept, firstChunk);

        await using (var engine = LogEngine.Open(dir.Path, options))
        {
            var report = await engine.CollectGarbageAsync();

            Assert.Equal(1, report.IndexChunksDeleted);
            Assert.False(File.Exists(firstChunk), "the stale chunk file is still there");
            Assert.Equal(TopicIndex.ChunkFileLength, report.BytesFreed);
            Assert.EndsWith($"-{9 * TopicIndex.SlotsPerChunk / 8}", await engine.CommitAsync("t", "next"u8.ToArray()));
        }
    }
}
