using System.Reflection;
using Engine.Tests.Support;

namespace Engine.Tests.Golden;

/// <summary>
/// format-spec.md is kept true by bytes: the fixed scenario must write exactly the checked-in
/// files, and every checked-in store (one folder per format version) must open and read back.
/// Set ENGINE_UPDATE_GOLDEN=1 to rewrite the current version's files after a deliberate format
/// change, which must come with a format-spec.md change in the same commit; that run fails on
/// purpose, so only a run without the variable can pass.
/// </summary>
public sealed class GoldenFileTests
{
    private const string CurrentVersion = "v2";

    [Fact]
    public async Task The_fixed_scenario_writes_exactly_the_golden_bytes()
    {
        using var dir = new TempDirectory();
        await GoldenScenario.WriteAsync(dir.Path);
        await MatchesAsync(GoldenDirectory(CurrentVersion), dir.Path, update: Environment.GetEnvironmentVariable("ENGINE_UPDATE_GOLDEN") == "1");
    }

    [Fact]
    public async Task Update_mode_rewrites_the_golden_files_and_still_fails()
    {
        using var golden = new TempDirectory();
        using var written = new TempDirectory();
        File.WriteAllBytes(golden.Combine("stale"), [1]);
        Directory.CreateDirectory(written.Combine("log"));
        File.WriteAllBytes(written.Combine("log/new"), [2, 3]);

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => MatchesAsync(golden.Path, written.Path, update: true));

        Assert.Contains("rewritten", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["log/new"], StoreFiles(golden.Path)); // and the next run, without update mode, passes
        await MatchesAsync(golden.Path, written.Path, update: false);
    }

    /// <summary>
    /// Asserts <paramref name="written"/> holds exactly the files and bytes of <paramref name="golden"/>.
    /// In update mode it first makes the golden folder a copy of what was written, then fails on
    /// purpose: a run that rewrote the files proves nothing about them, and a green run left with
    /// the variable set would hide every format change from review.
    /// </summary>
    private static async Task MatchesAsync(string golden, string written, bool update)
    {
        if (update)
        {
            if (Directory.Exists(golden)) Directory.Delete(golden, recursive: true);
            foreach (var file in StoreFiles(written))
            {
                var target = Path.Combine(golden, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(written, file), target);
            }
            Assert.Fail($"golden files in {golden} rewritten; check the diff and format-spec.md, then run again without ENGINE_UPDATE_GOLDEN");
        }
        Assert.Equal(StoreFiles(golden), StoreFiles(written));
        foreach (var file in StoreFiles(golden))
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(golden, file));
            var actual = await File.ReadAllBytesAsync(Path.Combine(written, file));
            var firstDifference = expected.AsSpan().CommonPrefixLength(actual);
            Assert.True(expected.Length == actual.Length && firstDifference == expected.Length,
                $"{file} differs from the golden file at byte {firstDifference} (lengths {actual.Length} and {expected.Length})");
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task A_store_written_by_an_earlier_version_opens_and_reads_back(string version)
    {
        using var dir = new TempDirectory();
        foreach (var file in StoreFiles(GoldenDirectory(version)))
        {
            var target = Path.Combine(dir.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(GoldenDirectory(version), file), target);
        }
        await using var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 });
        Assert.True(engine.LastRecovery.CleanShutdown);
        Assert.Equal(0, engine.LastRecovery.ReplayedFrames);
        foreach (var (topic, expected) in GoldenScenario.Expected())
        {
            var entries = await engine.RangeAsync(topic);
            Assert.Equal(expected.Select(e => e.Id), entries.Select(e => e.Id));
            for (var i = 0; i < expected.Length; i++) Assert.True(expected[i].Body.AsSpan().SequenceEqual(entries[i].Body.Span), $"{topic} {expected[i].Id}");
        }
        Assert.EndsWith("-3", await engine.CommitAsync("alpha", "more"u8.ToArray()));
        var reader = await engine.InspectProcAsync("reader");
        Assert.Equal(ProcStatus.Active, reader.Status);
        Assert.Equal($"{GoldenScenario.Start.ToUnixTimeMilliseconds()}-0..{GoldenScenario.Start.ToUnixTimeMilliseconds() + 1}-1", reader.LastAckedRange);
        Assert.Equal(0, reader.Reclaims);
        var gone = await Assert.ThrowsAsync<LogEngineException>(() => engine.InspectProcAsync("gone").AsTask());
        Assert.Equal(LogEngineError.ProcNotFound, gone.Code);
        Assert.Equal(["pipeline__alpha", "pipeline__beta"], (await Task.WhenAll(new[] { "pipeline__alpha", "pipeline__beta" }
            .Select(n => engine.InspectProcAsync(n).AsTask()))).Select(s => s.Name));
    }

    private static string GoldenDirectory(string version) =>
        Path.Combine(typeof(GoldenFileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "GoldenDirectory").Value!, version);

    private static string[] StoreFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => f != "LOCK")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
