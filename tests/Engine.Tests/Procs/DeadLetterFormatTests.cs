using Engine.Log;
using Engine.Procs;

namespace Engine.Tests.Procs;

/// <summary>
/// The bytes dead letters add to the format (format-spec.md 4.2 and 6.1), pinned: a ProcCreated
/// entry keeps the dead-letter topic's length in byte 45 (0 in older stores) and the topic after
/// the offset; a dead-lettering ack sets flag bit 0; checkpoint section 2 gains a trailer only when
/// some proc has a dead-letter topic.
/// </summary>
public sealed class DeadLetterFormatTests
{
    private static ProcRecord Proc(string? deadLetter, OnMaxReclaims? strategy = null) => new()
    {
        Id = 7, Name = "p", Topic = "t", Offset = ">", StartSeq = 0, CreatedAtMs = 1, MaxReclaims = 2, ReclaimTimeoutMs = 3,
        OnMaxReclaimsReached = strategy ?? (deadLetter is null ? OnMaxReclaims.Disable : OnMaxReclaims.DeadLetter), DeadLetterTopic = deadLetter,
    };

    [Fact]
    public void A_created_entry_carries_the_dead_letter_topic_after_the_offset_with_its_length_at_byte_45()
    {
        var entry = ProcEntries.Created(Proc("dlq")).Bytes;

        Assert.Equal(52 + 1 + 1 + 1 + 3, entry.Length);
        Assert.Equal(2, entry[44]); // strategy: dead letter
        Assert.Equal(3, entry[45]);
        Assert.Equal("p" + "t" + ">" + "dlq", System.Text.Encoding.UTF8.GetString(entry.AsSpan(52)));
        Assert.True(ProcEntries.IsWellFormed(Log.EntryType.ProcCreated, entry));
        Assert.Equal("dlq", ProcEntries.ReadCreated(entry).DeadLetterTopic);
    }

    [Fact]
    public void A_created_entry_without_a_dead_letter_topic_is_as_before()
    {
        var entry = ProcEntries.Created(Proc(null)).Bytes;

        Assert.Equal(52 + 3, entry.Length);
        Assert.Equal(0, entry[45]);
        Assert.Null(ProcEntries.ReadCreated(entry).DeadLetterTopic);
    }

    [Fact]
    public void A_dead_lettering_ack_sets_flag_bit_0()
    {
        Assert.Equal(1, ProcEntries.Acked(7, 5, deadLettered: true).Flags);
        Assert.Equal(0, ProcEntries.Acked(7, 5).Flags);
    }

    [Fact]
    public void Checkpoint_section_2_adds_the_dead_letter_trailer_only_when_needed_and_reads_it_back()
    {
        var plain = new ProcTable();
        plain.Apply(Framed(ProcEntries.Created(Proc(null, OnMaxReclaims.DeadLetter)))); // same fields, no topic: no trailer
        var withDeadLetter = new ProcTable();
        withDeadLetter.Apply(Framed(ProcEntries.Created(Proc("dlq"))));

        var before = plain.Capture();
        var after = withDeadLetter.Capture();

        // The trailer: count 1 · id 7 · "dlq" as a BinaryWriter string (7-bit length 3, then UTF-8).
        Assert.Equal(Convert.ToHexString(before) + "01000000" + "07000000" + "03" + "646C71", Convert.ToHexString(after));
        var restored = new ProcTable();
        restored.Restore(after);
        Assert.Equal("dlq", restored.ByName("p")!.DeadLetterTopic);
        var restoredPlain = new ProcTable();
        restoredPlain.Restore(before);
        Assert.Null(restoredPlain.ByName("p")!.DeadLetterTopic);
    }

    [Fact]
    public async Task A_dead_lettering_proc_is_rebuilt_from_the_log_alone()
    {
        using var dir = new Support.TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path))
        {
            await engine.CommitAsync("t", "x"u8.ToArray());
            await engine.ProcAsync("t", new ProcOptions { Name = "p", MaxReclaims = 1, OnMaxReclaimsReached = OnMaxReclaims.DeadLetter, DeadLetterTopic = "dlq" });
            await engine.ReclaimProcAsync("p"); // reaches the limit: dead-lettered and acked
        }
        foreach (var checkpoint in Directory.GetFiles(dir.Path, "checkpoint.*")) File.Delete(checkpoint); // replay every frame

        await using var reopened = LogEngine.Open(dir.Path);

        var state = await reopened.InspectProcAsync("p");
        Assert.Equal((OnMaxReclaims.DeadLetter, "dlq", 0), (state.OnMaxReclaimsReached, state.DeadLetterTopic, state.Reclaims));
        Assert.Equal(state.LastClaimedRange, state.LastAckedRange);
        Assert.Equal(1, await reopened.LengthAsync("dlq"));
    }

    /// <summary>The entry with its 12-byte header's type filled in, as the frame writer would.</summary>
    private static byte[] Framed(PendingEntry pending)
    {
        var bytes = pending.Bytes.ToArray();
        bytes[Log.EntryHeader.TypeOffset] = (byte)pending.Type;
        return bytes;
    }
}
