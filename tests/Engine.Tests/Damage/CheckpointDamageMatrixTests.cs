using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>
/// Checkpoint slots (checkpoint.0, checkpoint.1): damage to one leaves the other, or the log from
/// its start; every record and proc reads back exactly and nothing is reported corrupted.
/// </summary>
public sealed class CheckpointDamageMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_damaged_checkpoint_slot_never_loses_a_record(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 301 : 302);
        var tally = await DamageMatrix.RunAsync(store, DamageCases.Sample(DamageCases.Checkpoints(store, random), random, 60), output);
        Assert.Equal(tally.Values.Sum(), tally.GetValueOrDefault(DamageCheck.Outcome.Intact));
    }
}
