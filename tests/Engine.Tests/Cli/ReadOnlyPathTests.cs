using System.Security.Cryptography;
using Engine.Tests.DiskFull;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// The verbs that only look, on <c>--path</c>, open the store read-only: not a byte of the
/// directory changes (no LOCK written, no checkpoint, no cut tail, no rebuilt index, no directory
/// made), even on a store that was not closed and needs recovery; and they work on a read-only file
/// system.
/// </summary>
public sealed class ReadOnlyPathTests
{
    /// <summary>Every verb that only reads, with its arguments.</summary>
    private static readonly string[][] ReadVerbs =
    [
        ["topics"], ["topics", "--json"], ["procs"], ["procs", "--json"], ["inspect", "p"], ["inspect", "q"], ["range", "numbers"],
        ["range", "numbers", "--rev", "--limit", "2"], ["tail", "letters"], ["tail", "numbers", "--json"],
        ["verify"], ["dump"], ["dump", "--topic", "letters", "--bodies"],
    ];

    [Fact]
    public async Task Read_verbs_on_a_store_needing_recovery_change_no_byte_of_it()
    {
        using var dir = new TempDirectory();
        var store = await CrashImageAsync(dir);
        var before = Snapshot(store);

        foreach (var verb in ReadVerbs)
        {
            var result = await CliRun.RunAsync([.. verb, "--path", store]);
            Assert.True(result.Code == 0, $"engine {string.Join(' ', verb)}: exit {result.Code}: {result.Err}");
        }
        var range = await CliRun.RunAsync("range", "numbers", "--path", store);

        Assert.Equal(before, Snapshot(store));
        Assert.Equal(["0", "1", "2", "3", "4"], range.Lines().Select(l => l.Split('\t')[1]));
        // The check can fail: a writable open of the same store does change its bytes.
        await using (LogEngine.Open(store, new LogEngineOptions { Workers = 0 }))
        {
        }
        Assert.NotEqual(before, Snapshot(store));
    }

    [SkippableFact]
    public async Task Read_verbs_work_on_a_store_on_a_read_only_file_system()
    {
        using var mount = TmpfsMount.TryMount(64, out var whyNot);
        Skip.If(mount is null, whyNot);
        using var dir = new TempDirectory();
        var image = await CrashImageAsync(dir);
        var store = Path.Combine(mount!.Path, "store");
        CopyDirectory(image, store);
        Skip.IfNot(mount.RemountReadOnly(out whyNot), whyNot);

        foreach (var verb in ReadVerbs)
        {
            var result = await CliRun.RunAsync([.. verb, "--path", store]);
            Assert.True(result.Code == 0, $"engine {string.Join(' ', verb)}: exit {result.Code}: {result.Err}");
        }
        var commit = await CliRun.RunWithInputAsync("x\n", "commit", "numbers", "--path", store);

        Assert.Equal(["0", "1", "2", "3", "4"], (await CliRun.RunAsync("range", "numbers", "--path", store)).Lines().Select(l => l.Split('\t')[1]));
        Assert.Equal((2, true), (commit.Code, commit.Err.Contains("read-only file system", StringComparison.Ordinal))); // writing needs a writable one, and says so
    }

    [Fact]
    public async Task A_read_only_engine_refuses_every_write_and_keeps_the_bytes()
    {
        using var dir = new TempDirectory();
        var store = await CrashImageAsync(dir);
        var before = Snapshot(store);

        await using (var engine = LogEngine.OpenReadOnly(store))
        {
            Assert.Equal(LogEngineError.InvalidArgument, (await Assert.ThrowsAsync<LogEngineException>(async () => await engine.CommitAsync("numbers", "x"u8.ToArray()))).Code);
            Assert.Equal(LogEngineError.InvalidArgument, (await Assert.ThrowsAsync<LogEngineException>(async () => await engine.ProcAsync("numbers", new ProcOptions { Name = "q" }))).Code);
            Assert.Equal(5, await engine.LengthAsync("numbers"));
            Assert.Equal(4, (await engine.ProcInfoAsync("p")).Lag); // 5 records, the first acked
        }

        Assert.Equal(before, Snapshot(store));
    }

    [Fact]
    public async Task A_missing_path_is_refused_and_not_created()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("typo");

        var result = await CliRun.RunAsync("topics", "--path", missing);

        Assert.Equal(2, result.Code);
        Assert.Contains("no store", result.Err);
        Assert.False(Directory.Exists(missing));
    }

    /// <summary>
    /// A store as a crash leaves it: files copied while an engine holds it open (no clean
    /// checkpoint, a spare segment, index chunks), plus a LOCK no one holds.
    /// </summary>
    private static async Task<string> CrashImageAsync(TempDirectory dir)
    {
        var live = dir.Combine("live");
        var image = dir.Combine("image");
        // Small segments: the image is copied onto a small tmpfs, where sparse files do not stay sparse.
        var options = new LogEngineOptions { Workers = 0, Durability = Durability.Always, CheckpointInterval = TimeSpan.FromHours(1), SegmentSize = LogEngineOptions.MinSegmentSize };
        await using (var engine = LogEngine.Open(live, options))
        {
            await engine.CommitAsync([.. Enumerable.Range(0, 5).Select(i => new CommitLog("numbers", System.Text.Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))))]);
            await engine.CommitAsync("letters", "a"u8.ToArray());
            await engine.ProcAsync("numbers", new ProcOptions { Name = "p" });
            await engine.AckAsync("p");
            // q holds a claim that expires at once: inspecting it on a writable store would write
            // the reclaim, on a read-only one it is shown as it stands.
            Assert.Single(await engine.ProcAsync("numbers", new ProcOptions { Name = "q", ReclaimTimeout = TimeSpan.FromMilliseconds(1) }));
            CopyDirectory(live, image);
        }
        await File.WriteAllTextAsync(Path.Combine(image, "LOCK"), "12345\n");
        return image;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            if (Path.GetFileName(file) != "LOCK") // held by the live engine; the image gets its own
                File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    /// <summary>Every directory and file under <paramref name="root"/>, with each file's length and hash.</summary>
    private static string Snapshot(string root) => string.Join('\n',
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(entry =>
            File.Exists(entry)
                ? $"{Path.GetRelativePath(root, entry)} {new FileInfo(entry).Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))}"
                : Path.GetRelativePath(root, entry) + "/"));
}
