using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// verify, dump and repair on real stores with damage made byte by byte: each problem is named by
/// file and byte offset, the exit code says clean or damaged, and repair copies aside, then cuts.
/// </summary>
public sealed class VerifyDumpRepairTests
{
    private const string FirstSegment = "log/00000000000000000000.seg";
    private const int FirstFrame = 64; // after the segment header

    /// <summary>A store of two frames (5 records, then 1), closed cleanly; returns its path.</summary>
    private static async Task<string> StoreAsync(TempDirectory dir)
    {
        var store = dir.Combine("store");
        await using var engine = LogEngine.Open(store);
        await engine.CommitAsync([.. Enumerable.Range(0, 5).Select(i => new CommitLog("t", System.Text.Encoding.UTF8.GetBytes($"record {i}")))]);
        await engine.CommitAsync("t", "last"u8.ToArray());
        return store;
    }

    private static void Flip(string store, string file, long offset)
    {
        using var stream = File.Open(Path.Combine(store, file), FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x40));
    }

    [Fact]
    public async Task A_clean_store_verifies_with_exit_code_0()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);

        var result = await CliRun.RunAsync("verify", "--path", store);

        Assert.Equal(0, result.Code);
        Assert.Matches(@"^clean: \d checkpoints, 1 segments, 2 frames, 6 records", result.Out);
    }

    [Fact]
    public async Task A_flipped_byte_in_a_record_is_reported_at_its_frame_with_exit_code_1()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        Flip(store, FirstSegment, FirstFrame + 100); // inside the first frame's records

        var result = await CliRun.RunAsync("verify", "--path", store, "--json");

        Assert.Equal(1, result.Code);
        var problem = JsonDocument.Parse(result.Out).RootElement.GetProperty("problems").EnumerateArray().First();
        Assert.Equal((FirstSegment, FirstFrame), (problem.GetProperty("file").GetString()!.Replace('\\', '/'), problem.GetProperty("offset").GetInt32()));
        Assert.Contains("checksum", problem.GetProperty("what").GetString());
    }

    [Fact]
    public async Task A_damaged_checkpoint_is_reported_by_file()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        var checkpoint = Path.GetFileName(Directory.GetFiles(store, "checkpoint.*").Max()!);
        Flip(store, checkpoint, 60);

        var result = await CliRun.RunAsync("verify", "--path", store);

        Assert.Equal(1, result.Code);
        Assert.Contains($"{checkpoint} @0: checkpoint: payload checksum mismatch", result.Out);
    }

    [Fact]
    public async Task A_damaged_index_slot_is_reported_at_its_byte_offset()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        var slot = 64 + 3 * 16; // chunk header, then 16 bytes a slot: seq 3
        Flip(store, "index/00000001-00000000.idx", slot + 2);

        var result = await CliRun.RunAsync("verify", "--path", store);

        Assert.Equal(1, result.Code);
        Assert.Contains($"00000001-00000000.idx @{slot}: topic 1 seq 3", result.Out);
    }

    [Fact]
    public async Task Dump_prints_every_frame_and_entry_with_offsets_and_filters_by_topic()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await using (var engine = LogEngine.Open(store))
        {
            await engine.CommitAsync("a", "x"u8.ToArray());
            await engine.CommitAsync("b", "y"u8.ToArray());
        }

        var all = (await CliRun.RunAsync("dump", "--path", store, "--bodies")).Lines();
        var onlyB = (await CliRun.RunAsync("dump", "--path", store, "--topic", "b")).Lines();

        Assert.StartsWith($"{Path.Combine("log", "00000000000000000000.seg")}@64 position 64 length ", all[0]);
        Assert.Contains(all, l => l.Contains("type=TopicCreated", StringComparison.Ordinal) && l.Contains("name=a", StringComparison.Ordinal));
        Assert.Contains(all, l => l.Contains("seq=0", StringComparison.Ordinal) && l.Contains("body=y", StringComparison.Ordinal));
        Assert.DoesNotContain(onlyB, l => l.Contains("(a)", StringComparison.Ordinal));
        Assert.Contains(onlyB, l => l.Contains("topic=2(b)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repair_copies_the_damaged_segment_aside_cuts_at_the_bad_frame_and_says_what_it_dropped()
    {
        using var dir = new TempDirectory();
        var store = await StoreAsync(dir);
        // Damage the second frame (the single "last" record): 64 + the first frame's length.
        var firstFrameLength = BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(store, FirstSegment)), FirstFrame + 4);
        Flip(store, FirstSegment, FirstFrame + firstFrameLength + 40);

        var repair = await CliRun.RunAsync("repair", "--path", store);

        Assert.True(repair.Code == 0, repair.Out + repair.Err);
        Assert.Contains("copied the damaged files to", repair.Out);
        Assert.Contains("dropped:", repair.Out);
        Assert.Contains("the store verifies clean", repair.Out);
        Assert.Single(Directory.GetDirectories(dir.Path, "store.damaged-*"));
        Assert.True(File.Exists(Path.Combine(Directory.GetDirectories(dir.Path, "store.damaged-*")[0], FirstSegment)));
        Assert.Equal(0, (await CliRun.RunAsync("verify", "--path", store)).Code);
        await using var engine = LogEngine.Open(store);
        Assert.Equal(5, await engine.LengthAsync("t")); // the five of the first frame are kept
    }

    [Fact]
    public async Task Verify_of_a_folder_without_a_store_says_so()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.RunAsync("verify", "--path", dir.Path);
        Assert.True(result.Code == 2, result.Err + result.Out);
        Assert.Contains("holds no store", result.Err);
    }
}
