using Engine.Tests.Support;

namespace Engine.Tests.Damage;

/// <summary>
/// Recovery and repair across the holes the GC leaves in the middle of the log (format-spec.md
/// §6.1 section 4, §7.2). A store whose oldest segment a proc's open claim pins, and whose GC
/// deleted the dead segments after it, reopens with every live record. Damage to a segment after
/// the hole is reported as Corrupted naming file and byte; with RepairCorruption, everything
/// before the damage is kept, on both sides of the hole, the hole itself is taken for what the
/// checkpoint's catalog says it is (the GC's, not damage), and every segment dropped is named in
/// the report.
/// </summary>
public sealed class GcHoleRepairTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_store_whose_gc_left_a_hole_reopens_with_every_live_record(bool closedCleanly)
    {
        var store = closedCleanly ? GcHoleStore.Clean : GcHoleStore.Crashed;
        Assert.True(store.AfterHole[0].BasePosition > store.Pinned.BasePosition + store.Pinned.Capacity, "the GC left no hole after the pinned segment");
        Assert.True(store.AfterHole.Count(s => s.Frames.Count > 0) >= 3, "the live records after the hole fill fewer than three segments");
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);

        await using var engine = LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: false));

        var report = engine.LastRecovery;
        Assert.Equal(closedCleanly, report.CleanShutdown);
        Assert.Null(report.CutAt);
        Assert.False(report.CutDurableData);
        // A crash leaves the empty spare segment after the log, which opening deletes (and says so).
        string[] repairs = closedCleanly ? [] : [$"{store.AfterHole[^1].Name}: discarded, it lay past the end of the log"];
        Assert.Equal(repairs, report.Repairs);
        foreach (var record in store.Expected) await AssertIntactAsync(engine, record);
        foreach (var topic in GcHoleStore.Topics) Assert.Equal(store.Expected.Count(r => r.Topic == topic), await engine.LengthAsync(topic));
        Assert.Equal(store.Pin.LastClaimedRange, (await engine.InspectProcAsync("pin")).LastClaimedRange);
    }

    /// <summary>
    /// After a crash, replay reads the log from the GC's checkpoint on: through the segment right
    /// after the hole (the one that checkpoint lies in) and the ones after it. Damage there is
    /// proved durable by the frames after it, so it is not a torn tail.
    /// </summary>
    [Theory]
    [InlineData(0, DamageKind.BitFlip)]
    [InlineData(0, DamageKind.CutShort)]
    [InlineData(1, DamageKind.BitFlip)]
    [InlineData(1, DamageKind.CutShort)]
    public async Task Damage_after_the_hole_in_the_log_replay_reads_is_reported_and_repair_cuts_there_keeping_both_sides_of_the_hole(int segmentAfterHole, DamageKind damage)
    {
        var store = GcHoleStore.Crashed;
        var damaged = store.AfterHole[segmentAfterHole];
        var frame = store.FrameOf(store.MiddleRecordOf(damaged));
        var frameOffset = frame.Start - damaged.BasePosition;
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        Apply(damage, directory.Path, damaged, frameOffset);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: false)));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.StartsWith($"{damaged.Name} at byte {frameOffset}: ", error.Message, StringComparison.Ordinal);

        await using (var engine = LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: true)))
        {
            var report = engine.LastRecovery;
            Assert.Equal($"{damaged.Name} byte {frameOffset}", report.CutAt);
            Assert.Contains("shows the log was durable beyond this point", report.CutReason, StringComparison.Ordinal);
            Assert.True(report.CutDurableData);
            // The segments after the damaged one are dropped, every one named, and nothing else is
            // repaired: the hole is no damage. (The writer then makes a new spare after the cut,
            // under the name of the first one dropped.)
            var dropped = store.AfterHole.Skip(segmentAfterHole + 1).Select(s => s.Name).ToList();
            Assert.Equal(dropped.Count, report.SegmentsDiscarded);
            Assert.Equal(
                [$"{damaged.Name} byte {frameOffset}: cut: {report.CutReason}", .. dropped.Select(name => $"{name}: discarded, it lay past the end of the log")],
                report.Repairs);
            Assert.All(store.Layout.Segments.TakeWhile(s => s != damaged).Append(damaged), kept => Assert.True(File.Exists(Path.Combine(directory.Path, kept.Name)), $"{kept.Name} is gone"));

            foreach (var record in store.Expected)
            {
                if (store.FrameOf(record).End <= frame.Start) await AssertIntactAsync(engine, record);
                else await AssertCutOffAsync(engine, record);
            }
            Assert.Equal(store.Pin.LastClaimedRange, (await engine.InspectProcAsync("pin")).LastClaimedRange);
            await engine.CommitAsync("kept", "after the repair"u8.ToArray());
        }
        await AssertReopensCleanAsync(directory.Path, "after the repair");
    }

    /// <summary>
    /// After a clean close the checkpoint lies at the end of the log, so opening reads nothing of
    /// the segments after the hole; but a segment file shorter than its capacity is damage all
    /// the same (a segment is sized before it is named). Repair makes its lost part a hole of its
    /// own and keeps the rest of the log, whatever lies after.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_segment_after_the_hole_cut_short_is_reported_and_repair_keeps_every_record_outside_what_was_cut_off(int segmentAfterHole)
    {
        var store = GcHoleStore.Clean;
        var damaged = store.AfterHole[segmentAfterHole];
        var frame = store.FrameOf(store.MiddleRecordOf(damaged));
        var frameOffset = frame.Start - damaged.BasePosition;
        var cutAt = frameOffset + 8;
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        Apply(DamageKind.CutShort, directory.Path, damaged, frameOffset);

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: false)));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.StartsWith($"{damaged.Name} at byte {cutAt}: the file was cut short", error.Message, StringComparison.Ordinal);

        var before = SegmentFiles(directory.Path);
        await using (var engine = LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: true)))
        {
            var report = engine.LastRecovery;
            Assert.Equal($"{damaged.Name} byte {cutAt}", report.CutAt);
            Assert.True(report.CutDurableData);
            Assert.Equal(0, report.SegmentsDiscarded);
            Assert.Empty(before.Except(SegmentFiles(directory.Path))); // (the writer may have made a new spare)
            var repair = Assert.Single(report.Repairs);
            Assert.StartsWith($"{damaged.Name} byte {cutAt}: the file was cut short", repair, StringComparison.Ordinal);

            // Lost: the record of the frame the file was cut in, and those after it in that segment.
            foreach (var record in store.Expected)
            {
                var (start, end) = store.FrameOf(record);
                if (end <= frame.Start || start >= damaged.BasePosition + damaged.Capacity) await AssertIntactAsync(engine, record);
                else await AssertLostNotSilentlyAsync(engine, record, damaged);
            }
            Assert.Equal(store.Pin.LastClaimedRange, (await engine.InspectProcAsync("pin")).LastClaimedRange);
            await engine.CommitAsync("kept", "after the repair"u8.ToArray());
        }
        await AssertReopensCleanAsync(directory.Path, "after the repair");
    }

    /// <summary>
    /// A flipped bit in a record after the hole, before the checkpoint: opening does not read it
    /// (that is what the checkpoint is for), reading it says Corrupted naming file and byte, and
    /// every other record, on both sides of the hole, reads back intact.
    /// </summary>
    [Fact]
    public async Task A_flipped_bit_after_the_hole_before_the_checkpoint_is_reported_by_file_and_byte_when_the_record_is_read()
    {
        var store = GcHoleStore.Clean;
        var damaged = store.AfterHole[1];
        var flipped = store.MiddleRecordOf(damaged);
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        Apply(DamageKind.BitFlip, directory.Path, damaged, store.FrameOf(flipped).Start - damaged.BasePosition);

        await using var engine = LogEngine.Open(directory.Path, GcHoleStore.OpenOptions(repair: false));

        Assert.Empty(engine.LastRecovery.Repairs);
        foreach (var record in store.Expected)
        {
            if (record != flipped) await AssertIntactAsync(engine, record);
        }
        var error = await Assert.ThrowsAsync<LogEngineException>(() => ReadAsync(engine, flipped));
        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.StartsWith($"{damaged.Name} at byte {flipped.Position - damaged.BasePosition}: ", error.Message, StringComparison.Ordinal);
    }

    public enum DamageKind
    {
        /// <summary>One bit of the record's body flipped (the last byte of its entry).</summary>
        BitFlip,

        /// <summary>The file cut 8 bytes into the frame: its checksum and length survive, the rest of it and of the file is gone.</summary>
        CutShort,
    }

    private static void Apply(DamageKind damage, string root, SegmentLayout segment, long frameOffset)
    {
        using var file = new FileStream(Path.Combine(root, segment.Name), FileMode.Open);
        if (damage == DamageKind.CutShort)
        {
            file.SetLength(frameOffset + 8);
            return;
        }
        var entry = segment.Frames.Single(f => f.Offset == frameOffset).Entries[0];
        file.Position = entry.Offset + entry.Length - 1;
        var value = file.ReadByte();
        file.Position = entry.Offset + entry.Length - 1;
        file.WriteByte((byte)(value ^ 0x10));
    }

    private static List<string> SegmentFiles(string root) =>
        [.. Directory.GetFiles(Path.Combine(root, "log"), "*.seg").Select(f => "log/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static Task<IReadOnlyList<LogEntry>> ReadAsync(LogEngine engine, ExpectedRecord record) =>
        engine.RangeAsync(record.Topic, new RangeOptions { Start = $":{record.Seq}", Limit = 1 }).AsTask();

    private static async Task AssertIntactAsync(LogEngine engine, ExpectedRecord record)
    {
        var read = Assert.Single(await ReadAsync(engine, record));
        Assert.Equal(record.Id, read.Id);
        Assert.True(read.Body.Span.SequenceEqual(record.Body), $"{record.Topic} {record.Id} reads back with different bytes");
    }

    /// <summary>A record after the cut is gone: its topic ends before it.</summary>
    private static async Task AssertCutOffAsync(LogEngine engine, ExpectedRecord record)
    {
        var error = await Assert.ThrowsAsync<LogEngineException>(() => ReadAsync(engine, record));
        Assert.True(error.Code == LogEngineError.SequenceNotFound, $"{record.Topic} {record.Id}, after the cut: {error.Code}: {error.Message}");
    }

    /// <summary>
    /// A record whose bytes were cut off is lost, and never silently: it is gone, or reading it says
    /// Corrupted naming the file and the record's byte.
    /// </summary>
    private static async Task AssertLostNotSilentlyAsync(LogEngine engine, ExpectedRecord record, SegmentLayout segment)
    {
        var error = await Assert.ThrowsAsync<LogEngineException>(() => ReadAsync(engine, record));
        if (error.Code == LogEngineError.SequenceNotFound) return;
        Assert.True(error.Code == LogEngineError.Corrupted, $"{record.Topic} {record.Id}, cut off: {error.Code}: {error.Message}");
        Assert.StartsWith($"{segment.Name} at byte {record.Position - segment.BasePosition}: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What repair left is a sound store: it opens again without repair, cleanly, with what was written after it.</summary>
    private static async Task AssertReopensCleanAsync(string root, string lastBody)
    {
        await using var engine = LogEngine.Open(root, GcHoleStore.OpenOptions(repair: false));
        Assert.True(engine.LastRecovery.CleanShutdown);
        Assert.Empty(engine.LastRecovery.Repairs);
        var last = Assert.Single(await engine.RevRangeAsync("kept", new RangeOptions { Limit = 1 }));
        Assert.Equal(lastBody, last.BodyText);
    }
}
