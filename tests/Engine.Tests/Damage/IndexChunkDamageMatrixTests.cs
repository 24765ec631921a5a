using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>
/// Index chunks (index/&lt;topic&gt;-&lt;chunk&gt;.idx) are derived data: whatever is done to one,
/// every record reads back exactly (the index is rebuilt from the log) and nothing is reported corrupted.
/// </summary>
public sealed class IndexChunkDamageMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Damaged_index_chunks_never_lose_a_record(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 201 : 202);
        var tally = await DamageMatrix.RunAsync(store, DamageCases.Sample(DamageCases.IndexChunks(store, random), random, 60), output);
        Assert.Equal(tally.Values.Sum(), tally.GetValueOrDefault(DamageCheck.Outcome.Intact));
    }
}
