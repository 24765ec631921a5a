using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>
/// Files beside the store's own, as a crash or a person leaves them: staged deletions
/// (.seg.deleted) and retired segments the GC had not unlinked, whole, cut or junk; half-made .tmp
/// files; a LOCK file with junk in it. None of them is part of the log: every record reads back.
/// </summary>
public sealed class LeftoverFileDamageTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Leftover_and_staged_files_never_change_what_the_store_holds(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 401 : 402);
        var tally = await DamageMatrix.RunAsync(store, DamageCases.Leftovers(store, random), output);
        Assert.Equal(tally.Values.Sum(), tally.GetValueOrDefault(DamageCheck.Outcome.Intact));
    }
}
