using System.Text;
using Engine.Index;
using Engine.Log;

namespace Engine.Fuzz.Frames;

/// <summary>
/// Valid frames of random shape: a random number of records with random topic ids, seqs,
/// timestamps and body sizes, mixed with the other entry kinds a frame may hold, now and then a
/// seal. Deterministic for a given <see cref="Random"/>, so a seed reproduces a frame.
/// </summary>
internal static class RandomFrames
{
    private static readonly EntryType[] ProcTypes =
    [
        EntryType.ProcCreated, EntryType.ProcClaimed, EntryType.ProcAcked, EntryType.ProcReclaimed,
        EntryType.ProcStatusChanged, EntryType.ProcDestroyed, EntryType.SystemProcRegistered, EntryType.SystemProcRemoved,
    ];

    // Names mix one-, two- and three-byte UTF-8 so name lengths are not character counts.
    private const string NameAlphabet = "abcxyz_-.0123456789éßжλ日本語";

    public static GeneratedFrame Next(Random rng, int maxEntries = 12, int maxBody = 512)
    {
        // Positions are 8-aligned like every frame's; syncedUpTo never lies beyond the frame.
        var position = rng.NextInt64(0, 1L << 40) & ~7L;
        var syncedUpTo = rng.Next(4) == 0 ? position : rng.NextInt64(0, position + 1);
        if (rng.Next(16) == 0) return GeneratedFrame.Seal(position, syncedUpTo);
        var entries = new List<EntrySpec>();
        var count = rng.Next(1, maxEntries + 1);
        for (var i = 0; i < count; i++) entries.Add(NextEntry(rng, maxBody));
        return GeneratedFrame.Batch(position, syncedUpTo, entries);
    }

    public static EntrySpec NextEntry(Random rng, int maxBody) => rng.Next(20) switch
    {
        < 13 => NextRecord(rng, maxBody),
        < 16 => new TopicCreatedSpec(NextTopicId(rng), NextName(rng)),
        < 17 => new TopicPrunedSpec(NextTopicId(rng), rng.NextInt64(0, 1L << 40)),
        _ => NextProcEntry(rng),
    };

    /// <summary>
    /// A well-formed proc or system proc entry, built by the engine's own builders with random
    /// fields (the decoder checks proc entries' exact layouts, so random payloads would never pass).
    /// </summary>
    public static OpaqueSpec NextProcEntry(Random rng)
    {
        var procId = (uint)rng.Next(1, 64);
        var now = rng.NextInt64(0, IndexEntry.MaxTimestamp);
        var first = rng.NextInt64(0, 1L << 40);
        var pending = ProcTypes[rng.Next(ProcTypes.Length)] switch
        {
            EntryType.ProcCreated => Procs.ProcEntries.Created(new Procs.ProcRecord
            {
                Id = procId,
                Name = Encoding.UTF8.GetString(NextName(rng)),
                Topic = Encoding.UTF8.GetString(NextName(rng)),
                Offset = rng.Next(2) == 0 ? ">" : ":" + rng.Next(1000),
                StartSeq = rng.Next(-1, 100),
                CreatedAtMs = now,
                MaxReclaims = rng.Next(-1, 20),
                ReclaimTimeoutMs = rng.Next(1, 100_000),
                OnMaxReclaimsReached = (OnMaxReclaims)rng.Next(2),
            }),
            EntryType.ProcClaimed => Procs.ProcEntries.Claimed(procId, new Procs.ProcRange(first, now, first + rng.Next(0, 100), now), now),
            EntryType.ProcAcked => Procs.ProcEntries.Acked(procId, now),
            EntryType.ProcReclaimed => Procs.ProcEntries.Reclaimed(procId, now, rng.Next(2) == 0),
            EntryType.ProcStatusChanged => Procs.ProcEntries.StatusChanged(procId, (ProcStatus)rng.Next(2)),
            EntryType.ProcDestroyed => Procs.ProcEntries.Destroyed(procId),
            EntryType.SystemProcRegistered => new PendingEntry(EntryType.SystemProcRegistered, 0, [.. new byte[EntryHeader.Length],
                .. new SystemProcs.SystemProcRegistration(new SystemProcOptions
                {
                    Name = Encoding.UTF8.GetString(NextName(rng)),
                    From = [Encoding.UTF8.GetString(NextName(rng))],
                    To = rng.Next(2) == 0 ? [] : [Encoding.UTF8.GetString(NextName(rng))],
                    Processor = "Processor.dll",
                    Count = rng.Next(1, 100),
                }, rng.Next(2) == 0).Encode()]),
            _ => new PendingEntry(EntryType.SystemProcRemoved, 0, [.. new byte[EntryHeader.Length],
                .. SystemProcs.SystemProcRegistry.RemovedPayload(Encoding.UTF8.GetString(NextName(rng)))]),
        };
        return new OpaqueSpec(pending.Type, pending.Flags, pending.Bytes[EntryHeader.Length..]);
    }

    public static RecordSpec NextRecord(Random rng, int maxBody)
    {
        // Mostly small bodies, sometimes empty, sometimes several times the usual maximum.
        var bodyLength = rng.Next(10) switch
        {
            0 => 0,
            1 => rng.Next(maxBody, maxBody * 4 + 1),
            _ => rng.Next(1, maxBody + 1),
        };
        var flags = rng.Next(8) == 0 ? RecordEntry.RelocatedFlag : (byte)0;
        return new RecordSpec(NextTopicId(rng), rng.NextInt64(0, 1L << 40), rng.NextInt64(0, IndexEntry.MaxTimestamp + 1), Bytes(rng, bodyLength), flags);
    }

    public static uint NextTopicId(Random rng) => rng.Next(4) == 0 ? (uint)rng.NextInt64(0, 1L << 32) : (uint)rng.Next(1, 64);

    public static byte[] NextName(Random rng)
    {
        var builder = new StringBuilder();
        var length = rng.Next(1, 24);
        for (var i = 0; i < length; i++) builder.Append(NameAlphabet[rng.Next(NameAlphabet.Length)]);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static byte[] Bytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
