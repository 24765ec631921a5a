using System.Buffers.Binary;
using Engine.Fuzz;
using Engine.Fuzz.Targets;
using Engine.Log;
using Engine.Tests.Support;

namespace Engine.Tests.Fuzz;

/// <summary>
/// The fuzz harness itself: its seeds are what they claim to be, its targets survive damaged
/// seeds, and its replay mode reports a target that throws. Keeps the harness working between
/// fuzzing campaigns, which run elsewhere (fuzz/README.md).
/// </summary>
public sealed class FuzzTargetTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    // Generated once: the seeds are deterministic, and regenerating them per iteration would
    // spend the time budget on checkpoint encoding instead of on the targets.
    private static readonly Dictionary<string, byte[][]> Seeds = FuzzTargets.All.Keys.ToDictionary(name => name, name => SeedCorpus.For(name).ToArray());

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_target_accepts_its_seed_corpus(string target)
    {
        var seeds = SeedCorpus.For(target).ToList();
        Assert.NotEmpty(seeds);
        foreach (var seed in seeds) FuzzTargets.All[target](seed);
    }

    [Fact]
    public void Frame_seeds_are_valid_frames_so_the_fuzzer_starts_past_the_checksums()
    {
        foreach (var seed in SeedCorpus.For("frame"))
        {
            if (seed[0] != 0) continue;
            var position = BinaryPrimitives.ReadInt64LittleEndian(seed.AsSpan(1 + FrameHeader.PositionOffset));
            Assert.Equal(FrameStatus.Valid, FrameDecoder.TryRead(seed.AsSpan(1), position, out _, out _));
        }
    }

    [Fact]
    public void Every_target_survives_damaged_seeds() => Property.Check(3_000, rng =>
    {
        var names = FuzzTargets.All.Keys.ToArray();
        var name = names[rng.Next(names.Length)];
        var seeds = Seeds[name];
        var seed = seeds[rng.Next(seeds.Length)];
        var damaged = rng.Next(3) switch
        {
            0 => Mutate.FlipBits(rng, seed, rng.Next(1, 9), 0, seed.Length),
            1 => Mutate.OverwriteRange(rng, seed, 0, seed.Length),
            _ => seed[..rng.Next(0, seed.Length + 1)],
        };
        FuzzTargets.All[name](damaged);
    });

    [Fact]
    public void Replay_reports_each_input_that_makes_a_target_throw()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("fine"), [0]);
        File.WriteAllBytes(dir.Combine("bad"), [1]);
        using var output = new StringWriter();
        var failures = Replay.Run("test", input => { if (input[0] == 1) throw new InvalidOperationException("boom"); }, [dir.Path], output);
        Assert.Equal(1, failures);
        Assert.Contains("FAIL", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 inputs, 1 failed", output.ToString(), StringComparison.Ordinal);
    }
}
