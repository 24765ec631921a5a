using Engine.Host.Offline;
using Engine.Tests.Support;
using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>
/// <c>engine verify</c> over the storage tests' damage matrix (<see cref="DamageCases"/>): every
/// case the engine itself finds (Corrupted at open or on read, or a cut) is reported by verify in
/// the damaged file, at a byte from the start of the damaged frame (or header) up to the first
/// damaged byte; and every damaged index chunk and checkpoint, which the engine heals silently
/// (rebuilt from the log, the other slot), is reported in its file too.
/// </summary>
public sealed class VerifyDamageMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Verify_names_the_file_and_offset_of_every_damage_the_engine_finds(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 501 : 502);
        var cases = DamageCases.Sample(DamageCases.Segments(store, random, framesPerSegment: 2), random, count: 120);
        var failures = new List<string>();
        var found = 0;
        string pristine;
        using (var copy = TempDirectory.InMemory())
        {
            store.Files.CopyTo(copy.Path);
            pristine = await RecoveryOfAsync(store, copy.Path) ?? throw new InvalidOperationException("the undamaged store is corrupted");
        }
        foreach (var damage in cases)
        {
            using var directory = TempDirectory.InMemory();
            store.Files.CopyTo(directory.Path);
            damage.Apply(directory.Path);
            var report = Verifier.Run(Host.Offline.StoreFiles.Find(directory.Path));
            if (await RecoveryOfAsync(store, directory.Path) == pristine) continue; // the engine sees nothing the undamaged copy does not show
            found++;
            var low = damage.LostFrom is { } lostFrom ? lostFrom - BaseOf(damage.File) : 0; // bytes appended: anywhere in the file
            if (!report.Problems.Any(p => Same(p.File, damage.File) && p.Offset >= low && p.Offset <= damage.FileOffset))
                failures.Add($"{damage}: expected a problem in {damage.File} at [{low}, {damage.FileOffset}], verify found: {Describe(report)}");
        }
        output.WriteLine($"{cases.Count} cases, {found} found by the engine");
        Assert.True(found > 20, $"only {found} cases reached the engine's detection: the sample proves little");
        Assert.True(failures.Count == 0, $"{failures.Count} of {found}:\n" + string.Join('\n', failures.Take(40)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_names_every_damaged_index_chunk_and_checkpoint(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 503 : 504);
        var cases = DamageCases.IndexChunks(store, random).Concat(DamageCases.Checkpoints(store, random)).ToList();
        var failures = new List<string>();
        foreach (var damage in cases)
        {
            using var directory = TempDirectory.InMemory();
            store.Files.CopyTo(directory.Path);
            damage.Apply(directory.Path);
            var report = Verifier.Run(Host.Offline.StoreFiles.Find(directory.Path));
            if (IsSlotOfAPrunedRecord(damage, report)) continue; // dead bytes: neither the engine nor verify reads them
            if (!report.Problems.Any(p => Same(p.File, damage.File) && p.Offset <= damage.FileOffset))
                failures.Add($"{damage}: verify found {Describe(report)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count}:\n" + string.Join('\n', failures.Take(60)));
    }

    /// <summary>
    /// What the engine makes of a copy, opened without repair: null when it reports Corrupted at
    /// open or on reading a record; else what recovery cut or repaired and whether every record
    /// reads back exactly. A crashed store's copy shows a recovery of its own (its torn tail), so
    /// damage is what differs from the undamaged copy's answer.
    /// </summary>
    private static async Task<string?> RecoveryOfAsync(DamageStore store, string path)
    {
        LogEngine engine;
        try
        {
            engine = LogEngine.Open(path, store.OpenOptions(repair: false));
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted)
        {
            return null;
        }
        await using (engine)
        {
            var recovery = engine.LastRecovery;
            var answer = $"cut at {recovery.CutAt}; {string.Join("; ", recovery.Repairs)}".Replace(path, "", StringComparison.Ordinal);
            foreach (var expected in store.Expected)
            {
                try
                {
                    var read = await engine.RangeAsync(expected.Topic, new RangeOptions { Start = $":{expected.Seq}", Limit = 1 });
                    if (read.Count != 1 || read[0].Id != expected.Id || !read[0].Body.Span.SequenceEqual(expected.Body)) return answer + "; records differ";
                }
                catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted)
                {
                    return null;
                }
                catch (LogEngineException)
                {
                    return answer + "; records lost";
                }
            }
            return answer;
        }
    }

    /// <summary>A flipped index slot of a record the GC pruned (below its topic's first kept seq).</summary>
    private static bool IsSlotOfAPrunedRecord(DamageCase damage, VerifyReport report)
    {
        var match = System.Text.RegularExpressions.Regex.Match(damage.Name, @"^index/([0-9a-f]{8})-([0-9a-f]{8})\.idx: .*\(slot (\d+) ");
        if (!match.Success) return false;
        var topic = uint.Parse(match.Groups[1].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var seq = (long.Parse(match.Groups[2].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) << Index.TopicIndex.ChunkBits)
            + long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        return seq < report.FirstKeptSeqs.GetValueOrDefault(topic);
    }

    private static long BaseOf(string segmentFile) =>
        long.Parse(Path.GetFileNameWithoutExtension(segmentFile), System.Globalization.CultureInfo.InvariantCulture);

    private static bool Same(string reported, string expected) => reported.Replace('\\', '/') == expected;

    private static string Describe(VerifyReport report) =>
        report.Clean ? "nothing" : string.Join("; ", report.Problems.Take(4).Select(p => $"{p.File} @{p.Offset}: {p.What}"));
}
