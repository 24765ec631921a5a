using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Procs;

/// <summary>
/// Proc state written with Durability.Always is on disk when the call returns: a copy of the store
/// taken while the engine is still open (what a crash leaves, no clean close) holds the claim, the
/// ack, and an ack-commit's ack together with its records.
/// </summary>
public sealed class ProcCrashImageTests
{
    private static LogEngineOptions Options(FakeTimeProvider clock) => new() { TimeProvider = clock, Durability = Durability.Always };

    /// <summary>Copies every file but the lock, as the engine left them at this moment.</summary>
    private static void CopyImage(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "LOCK") continue;
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var output = new FileStream(to, FileMode.Create, FileAccess.Write);
            input.CopyTo(output);
        }
    }

    [Fact]
    public async Task An_open_claim_is_still_a_claim_after_a_crash_and_times_out_as_usual()
    {
        using var dir = new TempDirectory();
        using var image = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs));
        var options = new ProcOptions { Name = "p", Count = 2, ReclaimTimeout = TimeSpan.FromSeconds(10) };
        string[] ids;
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            ids = [.. await engine.CommitAsync([new CommitLog("t", "a"u8.ToArray()), new CommitLog("t", "b"u8.ToArray()), new CommitLog("t", "c"u8.ToArray())])];
            Assert.Equal(ids[0..2], ProcStore.IdsOf(await engine.ProcAsync("t", options)));
            CopyImage(dir.Path, image.Path);
        }

        await using var reopened = LogEngine.Open(image.Path, Options(clock));
        Assert.Empty(await reopened.ProcAsync("t", options));
        Assert.Equal($"{ids[0]}..{ids[1]}", (await reopened.InspectProcAsync("p")).LastClaimedRange);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(ids[0..2], ProcStore.IdsOf(await reopened.ProcAsync("t", options)));
    }

    [Fact]
    public async Task An_ack_commit_is_there_whole_after_a_crash()
    {
        using var dir = new TempDirectory();
        using var image = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs));
        var options = new ProcOptions { Name = "p" };
        string[] ids;
        AckCommitResult result;
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            ids = [await engine.CommitAsync("t", "a"u8.ToArray()), await engine.CommitAsync("t", "b"u8.ToArray())];
            Assert.Single(await engine.ProcAsync("t", options));
            result = await engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray()), new CommitLog("out", "y"u8.ToArray())]);
            CopyImage(dir.Path, image.Path);
        }

        await using var reopened = LogEngine.Open(image.Path, Options(clock));
        Assert.Equal(ids[0], (await reopened.InspectProcAsync("p")).LastAckedRange);
        Assert.Equal(result.CommittedIds, ProcStore.IdsOf(await reopened.RangeAsync("out")));
        Assert.Equal([ids[1]], ProcStore.IdsOf(await reopened.ProcAsync("t", options)));
    }

    [Fact]
    public async Task A_destroyed_proc_stays_destroyed_after_a_crash()
    {
        using var dir = new TempDirectory();
        using var image = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(ProcStore.StartMs));
        string id;
        await using (var engine = LogEngine.Open(dir.Path, Options(clock)))
        {
            id = await engine.CommitAsync("t", "a"u8.ToArray());
            Assert.Single(await engine.ProcAsync("t", new ProcOptions { Name = "p" }));
            await engine.AckAsync("p");
            await engine.DestroyProcAsync("p");
            CopyImage(dir.Path, image.Path);
        }

        await using var reopened = LogEngine.Open(image.Path, Options(clock));
        await ProcStore.ThrowsAsync(LogEngineError.ProcNotFound, async () => await reopened.InspectProcAsync("p"));
        Assert.Equal([id], ProcStore.IdsOf(await reopened.ProcAsync("t", new ProcOptions { Name = "p" })));
    }
}
