using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>A store directory has one owner at a time: a second Open fails with Locked and harms nothing.</summary>
public sealed class LockTests
{
    [Fact]
    public async Task Second_open_of_a_held_directory_is_locked()
    {
        using var dir = new TempDirectory();
        await using var first = LogEngine.Open(dir.Path);
        var ex = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path));
        Assert.Equal(LogEngineError.Locked, ex.Code);
    }

    [Fact]
    public async Task Locked_open_leaves_the_owner_working_with_its_data_intact()
    {
        using var dir = new TempDirectory();
        var first = LogEngine.Open(dir.Path);
        await using (first)
        {
            var before = await first.CommitAsync("t", new byte[] { 1 });
            for (var attempt = 0; attempt < 3; attempt++)
            {
                Assert.Equal(LogEngineError.Locked, Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path)).Code);
            }
            var after = await first.CommitAsync("t", new byte[] { 2 });
            Assert.Equal([before, after], CoreStore.IdsOf(await first.RangeAsync("t")));
            Assert.Equal(2, await first.LengthAsync("t"));
        }

        await using var reopened = LogEngine.Open(dir.Path);
        var read = await reopened.RangeAsync("t");
        Assert.Equal([new byte[] { 1 }, new byte[] { 2 }], read.Select(e => e.Body.ToArray()));
    }

    [Fact]
    public async Task Locked_open_through_another_path_spelling_is_locked()
    {
        using var dir = new TempDirectory();
        await using var first = LogEngine.Open(dir.Path);
        var other = Path.Combine(dir.Path, "sub", "..") + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        Assert.Equal(LogEngineError.Locked, Assert.Throws<LogEngineException>(() => LogEngine.Open(other)).Code);
        await first.CommitAsync("t", new byte[] { 1 });
        Assert.Equal(1, await first.LengthAsync("t"));
    }

    [Fact]
    public async Task Open_works_again_after_the_owner_is_disposed()
    {
        using var dir = new TempDirectory();
        var first = LogEngine.Open(dir.Path);
        await first.CommitAsync("t", new byte[] { 1 });
        Assert.Equal(LogEngineError.Locked, Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path)).Code);
        await first.DisposeAsync();

        await using var second = LogEngine.Open(dir.Path);
        Assert.Equal(1, await second.LengthAsync("t"));
        await second.CommitAsync("t", new byte[] { 2 });
        Assert.Equal(2, await second.LengthAsync("t"));
    }

    [Fact]
    public async Task Open_and_dispose_can_repeat()
    {
        using var dir = new TempDirectory();
        for (var i = 0; i < 5; i++)
        {
            await using var engine = LogEngine.Open(dir.Path);
            await engine.CommitAsync("t", new byte[] { (byte)i });
            Assert.Equal(i + 1, await engine.LengthAsync("t"));
        }
    }

    [Fact]
    public async Task The_holder_writes_its_process_id_into_LOCK_and_Locked_names_it()
    {
        using var dir = new TempDirectory();
        var first = LogEngine.Open(dir.Path);
        await using (first)
        {
            var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(dir.Path));
            Assert.Contains($"this process ({Environment.ProcessId}) holds its LOCK", error.Message);
        }

        // format-spec.md section 2: the holder's id in ASCII decimal, then a newline; nothing else.
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"), File.ReadAllBytes(Path.Combine(dir.Path, "LOCK")));
    }

    [Fact]
    public async Task A_stale_id_in_LOCK_is_overwritten_by_the_next_holder()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "LOCK"), "99999999999 left by an older holder\n");

        await using (LogEngine.Open(dir.Path))
        {
        }

        Assert.Equal($"{Environment.ProcessId}\n", await File.ReadAllTextAsync(Path.Combine(dir.Path, "LOCK")));
    }
}
