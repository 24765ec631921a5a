using Engine.Storage;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// A read-only open (<c>--path</c> on the reading verbs) of a store whose segment file is shorter
/// or longer than its capacity: the file is mapped at the capacity, its bytes as they are and the
/// missing tail zeros, without reading it into memory; writes recovery makes stay in private pages.
/// </summary>
public sealed class ReadOnlyResizedFileTests
{
    private const string Segment = "log/00000000000000000000.seg";

    private static async Task<string> StoreAsync(TempDirectory dir)
    {
        var store = dir.Combine("store");
        await using var engine = LogEngine.Open(store, new LogEngineOptions { SegmentSize = LogEngineOptions.MinSegmentSize, Workers = 0 });
        for (var i = 0; i < 5; i++) await engine.CommitAsync("t", System.Text.Encoding.UTF8.GetBytes($"record {i}"));
        return store;
    }

    [Theory]
    [InlineData(5_000)] // cut short, inside a page, after the last frame
    [InlineData(LogEngineOptions.MinSegmentSize + 3 * 4096 + 17)] // grown past its capacity
    public async Task A_segment_of_the_wrong_length_is_mapped_at_its_capacity_not_copied(long fileLength)
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        var path = Path.Combine(store, Segment);
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite)) RandomAccess.SetLength(file, fileLength);
        var onDisk = File.ReadAllBytes(path);

        using var medium = ReadOnlyFileMedium.Open(store);
        var region = medium.OpenSegment(0, LogEngineOptions.MinSegmentSize);
        try
        {
            Assert.IsType<ResizedPrivateRegion>(region);
            Assert.Equal(LogEngineOptions.MinSegmentSize, region.Length);
            var kept = (int)Math.Min(fileLength, region.Length);
            Assert.True(region.Slice(0, kept).SequenceEqual(onDisk.AsSpan(0, kept)), "the file's bytes differ in the region");
            Assert.True(region.Slice(kept, (int)(region.Length - kept)).IndexOfAnyExcept((byte)0) < 0, "the tail past the file is not zeros");
            region.Slice(0, 1)[0] ^= 0xff; // as a recovery cutting the tail would write
            region.Slice(region.Length - 1, 1)[0] = 1;
            Assert.Equal(onDisk, File.ReadAllBytes(path));
        }
        finally
        {
            region.Dispose();
        }
    }

    [Fact]
    public async Task Records_read_back_from_a_store_whose_segment_was_cut_after_its_last_frame()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        using (var file = File.OpenHandle(Path.Combine(store, Segment), FileMode.Open, FileAccess.ReadWrite)) RandomAccess.SetLength(file, 5_000);

        var range = await CliRun.RunAsync("range", "t", "--path", store);

        Assert.True(range.Code == 0, range.Err);
        Assert.Equal(["record 0", "record 1", "record 2", "record 3", "record 4"], range.Lines().Select(l => l.Split('\t')[^1]));
    }
}
