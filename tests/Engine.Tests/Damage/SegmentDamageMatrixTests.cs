using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>
/// Segment files (log/&lt;base&gt;.seg) damaged every way the matrix knows (<see cref="DamageCases.Segments"/>),
/// in a store closed cleanly and in one a crash left: each case opens with the data intact or
/// reports Corrupted naming file and byte, and repair keeps everything before the damage.
/// </summary>
public sealed class SegmentDamageMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Damaged_segments_open_intact_or_report_the_file_and_byte_and_repair_keeps_what_precedes(bool closedCleanly)
    {
        var store = DamageMatrix.Store(closedCleanly);
        var random = new Random(closedCleanly ? 101 : 102);
        var cases = DamageCases.Sample(DamageCases.Segments(store, random, framesPerSegment: 2), random, count: 160);
        var tally = await DamageMatrix.RunAsync(store, cases, output);
        // The sample must reach detection, or it proves little.
        Assert.True(tally.GetValueOrDefault(DamageCheck.Outcome.CorruptedAtOpen) + tally.GetValueOrDefault(DamageCheck.Outcome.CorruptedOnRead) > 0);
    }
}
