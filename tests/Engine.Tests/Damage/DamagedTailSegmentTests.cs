using Engine.Tests.Support;

namespace Engine.Tests.Damage;

/// <summary>
/// Bugs the damage matrix found, each pinned by a test of its own.
/// </summary>
public sealed class DamagedTailSegmentTests
{
    /// <summary>
    /// The newest checkpoint vouches for a position in the tail segment, whose header is damaged:
    /// opening used to fail with "checkpoint at byte 0: … the segments end at …", naming the
    /// checkpoint rather than the damaged file, and repair could not open the store at all.
    /// </summary>
    [Fact]
    public async Task A_damaged_tail_segment_header_is_blamed_by_name_and_repair_opens_the_store()
    {
        var store = DamageStore.Clean;
        var tail = store.Layout.Segments[^1];
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        using (var file = new FileStream(Path.Combine(directory.Path, tail.Name), FileMode.Open)) file.SetLength(0);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(directory.Path, store.OpenOptions(repair: false)));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.StartsWith($"{tail.Name} at byte 0: ", error.Message, StringComparison.Ordinal);

        await using var repaired = LogEngine.Open(directory.Path, store.OpenOptions(repair: true));
        Assert.True(repaired.LastRecovery.CutDurableData);
        Assert.Contains(repaired.LastRecovery.Repairs, r => r.StartsWith(tail.Name, StringComparison.Ordinal));
        Assert.Equal("pinned", (await repaired.RangeAsync("a", new RangeOptions { Limit = 1 })).Single().BodyText);
    }

    /// <summary>
    /// A segment cut short in the range replay reads: the error names the byte where the file now
    /// ends (where the bytes went missing), not the later position where replay stopped.
    /// </summary>
    [Fact]
    public void A_segment_cut_short_is_reported_at_the_byte_where_it_was_cut()
    {
        var store = DamageStore.Clean;
        var tail = store.Layout.Segments[^1];
        var cut = tail.Frames[tail.Frames.Count / 2].Offset + 8;
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        using (var file = new FileStream(Path.Combine(directory.Path, tail.Name), FileMode.Open)) file.SetLength(cut);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(directory.Path, store.OpenOptions(repair: false)));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.StartsWith($"{tail.Name} at byte {cut}: the file was cut short", error.Message, StringComparison.Ordinal);
    }
}
