using System.Buffers.Binary;
using System.Text;
using Engine.Log;

namespace Engine.Procs;

/// <summary>
/// Layouts of the proc entries (after the 12-byte entry header; little-endian):
/// <code>
/// ProcCreated (16)       procId u32 @12 · createdAtMs i64 @16 · startSeq i64 @24 · reclaimTimeoutMs i64 @32
///                        · maxReclaims i32 @40 · strategy u8 @44 · deadLetterTopicLength u8 @45 · nameLength u16 @46
///                        · topicLength u16 @48 · offsetLength u16 @50 · name · topic · offset · deadLetterTopic (UTF-8) @52
/// ProcClaimed (17)       procId u32 @12 · firstSeq i64 @16 · lastSeq i64 @24 · firstTs i64 @32 · lastTs i64 @40 · atMs i64 @48
/// ProcAcked (18)         procId u32 @12 · atMs i64 @16; flag bit 0: the claim went to the dead-letter topic
/// ProcReclaimed (19)     procId u32 @12 · atMs i64 @16; flag bit 0: automatic (timeout)
/// ProcStatusChanged (20) procId u32 @12 · status u8 @16 (0 active, 1 disabled)
/// ProcDestroyed (21)     procId u32 @12
/// </code>
/// Entries are built as small byte arrays when an operation decides, and copied into the frame.
/// </summary>
internal static class ProcEntries
{
    public const int ProcIdOffset = EntryHeader.Length;
    private const int CreatedFixedLength = 52;
    public const int ClaimedLength = 56;
    public const int AckedLength = 24;
    public const int ReclaimedLength = 24;
    public const int StatusLength = 17;
    public const int DestroyedLength = 16;
    public const byte AutomaticFlag = 1;
    public const byte DeadLetteredFlag = 1;

    /// <summary>
    /// The dead-letter topic's length sits in what was a reserved byte (0 in older stores: no
    /// dead-letter topic), which a topic name's 255-byte limit lets fit.
    /// </summary>
    private const int DeadLetterLengthOffset = 45;

    public static PendingEntry Created(ProcRecord proc)
    {
        var name = Encoding.UTF8.GetBytes(proc.Name);
        var topic = Encoding.UTF8.GetBytes(proc.Topic);
        var offset = Encoding.UTF8.GetBytes(proc.Offset);
        var deadLetter = Encoding.UTF8.GetBytes(proc.DeadLetterTopic ?? "");
        var entry = new byte[CreatedFixedLength + name.Length + topic.Length + offset.Length + deadLetter.Length];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[ProcIdOffset..], proc.Id);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], proc.CreatedAtMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], proc.StartSeq);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], proc.ReclaimTimeoutMs);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], proc.MaxReclaims);
        span[44] = (byte)proc.OnMaxReclaimsReached;
        span[DeadLetterLengthOffset] = checked((byte)deadLetter.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[46..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[48..], (ushort)topic.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[50..], (ushort)offset.Length);
        name.CopyTo(span[CreatedFixedLength..]);
        topic.CopyTo(span[(CreatedFixedLength + name.Length)..]);
        offset.CopyTo(span[(CreatedFixedLength + name.Length + topic.Length)..]);
        deadLetter.CopyTo(span[(CreatedFixedLength + name.Length + topic.Length + offset.Length)..]);
        return new PendingEntry(EntryType.ProcCreated, 0, entry);
    }

    public static ProcRecord ReadCreated(ReadOnlySpan<byte> entry)
    {
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[46..]);
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[48..]);
        var offsetLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[50..]);
        var deadLetterLength = entry[DeadLetterLengthOffset];
        var strings = entry[CreatedFixedLength..];
        return new ProcRecord
        {
            Id = ProcId(entry),
            CreatedAtMs = BinaryPrimitives.ReadInt64LittleEndian(entry[16..]),
            StartSeq = BinaryPrimitives.ReadInt64LittleEndian(entry[24..]),
            ReclaimTimeoutMs = BinaryPrimitives.ReadInt64LittleEndian(entry[32..]),
            MaxReclaims = BinaryPrimitives.ReadInt32LittleEndian(entry[40..]),
            OnMaxReclaimsReached = (OnMaxReclaims)entry[44],
            Name = Encoding.UTF8.GetString(strings[..nameLength]),
            Topic = Encoding.UTF8.GetString(strings.Slice(nameLength, topicLength)),
            Offset = Encoding.UTF8.GetString(strings.Slice(nameLength + topicLength, offsetLength)),
            DeadLetterTopic = deadLetterLength == 0 ? null : Encoding.UTF8.GetString(strings.Slice(nameLength + topicLength + offsetLength, deadLetterLength)),
        };
    }

    public static PendingEntry Claimed(uint procId, ProcRange range, long atMs)
    {
        var entry = new byte[ClaimedLength];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[ProcIdOffset..], procId);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], range.FirstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], range.LastSeq);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], range.FirstTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], range.LastTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], atMs);
        return new PendingEntry(EntryType.ProcClaimed, 0, entry);
    }

    public static (ProcRange Range, long AtMs) ReadClaimed(ReadOnlySpan<byte> entry) => (
        new ProcRange(
            BinaryPrimitives.ReadInt64LittleEndian(entry[16..]), BinaryPrimitives.ReadInt64LittleEndian(entry[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry[24..]), BinaryPrimitives.ReadInt64LittleEndian(entry[40..])),
        BinaryPrimitives.ReadInt64LittleEndian(entry[48..]));

    public static PendingEntry Acked(uint procId, long atMs, bool deadLettered = false) =>
        WithTime(EntryType.ProcAcked, deadLettered ? DeadLetteredFlag : (byte)0, procId, atMs);

    public static PendingEntry Reclaimed(uint procId, long atMs, bool automatic) =>
        WithTime(EntryType.ProcReclaimed, automatic ? AutomaticFlag : (byte)0, procId, atMs);

    public static long ReadTime(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[16..]);

    public static PendingEntry StatusChanged(uint procId, ProcStatus status)
    {
        var entry = new byte[StatusLength];
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(ProcIdOffset), procId);
        entry[16] = (byte)status;
        return new PendingEntry(EntryType.ProcStatusChanged, 0, entry);
    }

    public static ProcStatus ReadStatus(ReadOnlySpan<byte> entry) => (ProcStatus)entry[16];

    public static PendingEntry Destroyed(uint procId)
    {
        var entry = new byte[DestroyedLength];
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(ProcIdOffset), procId);
        return new PendingEntry(EntryType.ProcDestroyed, 0, entry);
    }

    public static uint ProcId(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadUInt32LittleEndian(entry[ProcIdOffset..]);

    /// <summary>Structural checks (used by the frame decoder) so that applying never reads out of bounds.</summary>
    public static bool IsWellFormed(EntryType type, ReadOnlySpan<byte> entry) => type switch
    {
        EntryType.ProcCreated => entry.Length >= CreatedFixedLength
            && entry.Length == CreatedFixedLength + BinaryPrimitives.ReadUInt16LittleEndian(entry[46..])
                + BinaryPrimitives.ReadUInt16LittleEndian(entry[48..]) + BinaryPrimitives.ReadUInt16LittleEndian(entry[50..])
                + entry[DeadLetterLengthOffset]
            && entry[44] <= (byte)OnMaxReclaims.DeadLetter
            && CreatedStringsAreValid(entry),
        EntryType.ProcClaimed => entry.Length == ClaimedLength
            && BinaryPrimitives.ReadInt64LittleEndian(entry[16..]) >= 0
            && BinaryPrimitives.ReadInt64LittleEndian(entry[24..]) >= BinaryPrimitives.ReadInt64LittleEndian(entry[16..]),
        EntryType.ProcAcked => entry.Length == AckedLength,
        EntryType.ProcReclaimed => entry.Length == ReclaimedLength,
        EntryType.ProcStatusChanged => entry.Length == StatusLength && entry[16] <= (byte)ProcStatus.Disabled,
        EntryType.ProcDestroyed => entry.Length == DestroyedLength,
        _ => false,
    };

    private static bool CreatedStringsAreValid(ReadOnlySpan<byte> entry)
    {
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[46..]);
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[48..]);
        var offsetLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[50..]);
        var deadLetterLength = entry[DeadLetterLengthOffset];
        var strings = entry[CreatedFixedLength..];
        return Topics.Names.IsValidUtf8(strings[..nameLength])
            && Topics.Names.IsValidUtf8(strings.Slice(nameLength, topicLength))
            && System.Text.Unicode.Utf8.IsValid(strings.Slice(nameLength + topicLength, offsetLength))
            && (deadLetterLength == 0 || Topics.Names.IsValidUtf8(strings.Slice(nameLength + topicLength + offsetLength, deadLetterLength)));
    }

    private static PendingEntry WithTime(EntryType type, byte flags, uint procId, long atMs)
    {
        var entry = new byte[AckedLength];
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(ProcIdOffset), procId);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), atMs);
        return new PendingEntry(type, flags, entry);
    }
}
