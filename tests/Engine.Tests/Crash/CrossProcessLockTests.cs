using Engine.Tests.Support;

namespace Engine.Tests.Crash;

/// <summary>One engine per directory across processes: the second opener fails with Locked and changes nothing.</summary>
public sealed class CrossProcessLockTests
{
    [Fact]
    public async Task A_store_open_in_another_process_is_locked_and_left_untouched()
    {
        using var dir = new TempDirectory();
        await using var child = ChildProcess.Start("hold", dir.Path);
        Assert.Equal("READY", await child.ReadLineAsync(TimeSpan.FromSeconds(30)));
        var before = Snapshot(dir);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path));

        Assert.Equal(LogEngineError.Locked, error.Code);
        Assert.Contains($"process {child.Id} (", error.Message); // names the holder, with its name
        // Not a byte of the owner's files changed. (The owner itself may add its spare segment in the
        // background meanwhile: a file that appears is the owner's doing, not the second opener's.)
        var after = Snapshot(dir);
        foreach (var (file, hash) in before) Assert.Equal((file, hash), (file, after.GetValueOrDefault(file)));
        await child.WriteLineAsync("done");
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await using var engine = LogEngine.Open(dir.Path);
        Assert.Equal("x", (await engine.RangeAsync("held")).Single().BodyText);
    }

    [Fact]
    public async Task A_store_whose_owner_was_killed_opens_and_recovers()
    {
        using var dir = new TempDirectory();
        await using (var child = ChildProcess.Start("hold", dir.Path))
        {
            Assert.Equal("READY", await child.ReadLineAsync(TimeSpan.FromSeconds(30)));
            child.Kill(); // the OS drops the flock with the process
        }
        await using var engine = LogEngine.Open(dir.Path);
        Assert.Equal("x", (await engine.RangeAsync("held")).Single().BodyText);
    }

    private static Dictionary<string, string> Snapshot(TempDirectory dir) =>
        Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "LOCK" && !f.EndsWith(".tmp", StringComparison.Ordinal)) // LOCK is held by the owner; reading it would take the lock's side
            .ToDictionary(f => Path.GetRelativePath(dir.Path, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
