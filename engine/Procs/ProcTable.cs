using System.Text;
using Engine.Log;
using Engine.State;

namespace Engine.Procs;

/// <summary>
/// The procs, changed only by applying proc entries (live, or replayed by recovery) and restored
/// from checkpoint section 2. Guarded by the store's write lock: every reader and writer of a
/// proc takes it, since every proc call may write (a claim, or an automatic reclaim).
/// </summary>
internal sealed class ProcTable
{
    private readonly Dictionary<string, ProcRecord> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, ProcRecord> _byId = [];

    /// <summary>The id the next new proc gets.</summary>
    public uint NextId { get; private set; } = 1;

    public IEnumerable<ProcRecord> All => _byName.Values;

    public ProcRecord? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Topics whose procs changed in the frame being applied (for waking waiters).</summary>
    public List<string> TouchedTopics { get; } = [];

    public void Apply(ReadOnlySpan<byte> entry)
    {
        var type = (EntryType)entry[EntryHeader.TypeOffset];
        if (type == EntryType.ProcCreated)
        {
            var created = ProcEntries.ReadCreated(entry);
            if (_byId.ContainsKey(created.Id) || _byName.ContainsKey(created.Name))
                throw new LogInconsistencyException($"proc '{created.Name}' (id {created.Id}) is created twice");
            _byId.Add(created.Id, created);
            _byName.Add(created.Name, created);
            NextId = Math.Max(NextId, created.Id + 1);
            TouchedTopics.Add(created.Topic);
            return;
        }
        var id = ProcEntries.ProcId(entry);
        var proc = _byId.GetValueOrDefault(id) ?? throw new LogInconsistencyException($"{type} of unknown proc {id}");
        TouchedTopics.Add(proc.Topic);
        switch (type)
        {
            case EntryType.ProcClaimed:
                var (range, claimedAt) = ProcEntries.ReadClaimed(entry);
                proc.PreviousClaimed = proc.LastClaimed;
                proc.LastClaimed = range;
                proc.LastClaimedAtMs = claimedAt;
                break;
            case EntryType.ProcAcked:
                proc.LastAcked = proc.LastClaimed;
                proc.LastAckedAtMs = ProcEntries.ReadTime(entry);
                proc.Reclaims = 0;
                break;
            case EntryType.ProcReclaimed:
                proc.LastClaimed = proc.PreviousClaimed;
                proc.Reclaims++;
                // (Under DeadLetter the reclaim that reaches the limit is written as a dead-lettering ack instead.)
                if (proc.MaxReclaims != -1 && proc.Reclaims >= proc.MaxReclaims && proc.OnMaxReclaimsReached == OnMaxReclaims.Disable)
                    proc.Status = ProcStatus.Disabled;
                break;
            case EntryType.ProcStatusChanged:
                proc.Status = ProcEntries.ReadStatus(entry);
                if (proc.Status == ProcStatus.Active) proc.Reclaims = 0;
                break;
            case EntryType.ProcDestroyed:
                _byId.Remove(id);
                _byName.Remove(proc.Name);
                break;
            default:
                throw new LogInconsistencyException($"entry type {type} is not a proc entry");
        }
    }

    /// <summary>
    /// Checkpoint section 2: nextProcId u32 · count u32 · per proc its every field; then the
    /// dead-letter topics, only when some proc has one: count i32 · per such proc, id u32 · topic.
    /// Readers before dead letters stop after the procs (the trailer is ignored); a section without
    /// it has none.
    /// </summary>
    public byte[] Capture()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(NextId);
            writer.Write(_byId.Count);
            foreach (var proc in _byId.Values.OrderBy(p => p.Id))
            {
                writer.Write(proc.Id);
                writer.Write(proc.Name);
                writer.Write(proc.Topic);
                writer.Write(proc.Offset);
                writer.Write(proc.StartSeq);
                writer.Write(proc.CreatedAtMs);
                writer.Write(proc.MaxReclaims);
                writer.Write(proc.ReclaimTimeoutMs);
                writer.Write((byte)proc.OnMaxReclaimsReached);
                writer.Write((byte)proc.Status);
                writer.Write(proc.Reclaims);
                WriteRange(writer, proc.LastClaimed);
                WriteRange(writer, proc.PreviousClaimed);
                WriteRange(writer, proc.LastAcked);
                writer.Write(proc.LastClaimedAtMs ?? long.MinValue);
                writer.Write(proc.LastAckedAtMs ?? long.MinValue);
            }
            // Without dead-lettering procs nothing is added: such a store's bytes are as before.
            var deadLettering = _byId.Values.Where(p => p.DeadLetterTopic is not null).OrderBy(p => p.Id).ToList();
            if (deadLettering.Count > 0) writer.Write(deadLettering.Count);
            foreach (var proc in deadLettering)
            {
                writer.Write(proc.Id);
                writer.Write(proc.DeadLetterTopic!);
            }
        }
        return stream.ToArray();
    }

    public void Restore(byte[] section)
    {
        using var reader = new BinaryReader(new MemoryStream(section, writable: false), Encoding.UTF8);
        NextId = reader.ReadUInt32();
        var count = reader.ReadInt32();
        if (count < 0 || count > section.Length) throw new LogInconsistencyException($"checkpoint lists {count} procs");
        for (var i = 0; i < count; i++)
        {
            var proc = new ProcRecord
            {
                Id = reader.ReadUInt32(),
                Name = reader.ReadString(),
                Topic = reader.ReadString(),
                Offset = reader.ReadString(),
                StartSeq = reader.ReadInt64(),
                CreatedAtMs = reader.ReadInt64(),
                MaxReclaims = reader.ReadInt32(),
                ReclaimTimeoutMs = reader.ReadInt64(),
                OnMaxReclaimsReached = (OnMaxReclaims)reader.ReadByte(),
                Status = (ProcStatus)reader.ReadByte(),
                Reclaims = reader.ReadInt32(),
                LastClaimed = ReadRange(reader),
                PreviousClaimed = ReadRange(reader),
                LastAcked = ReadRange(reader),
                LastClaimedAtMs = NullableTime(reader.ReadInt64()),
                LastAckedAtMs = NullableTime(reader.ReadInt64()),
            };
            _byId.Add(proc.Id, proc);
            _byName.Add(proc.Name, proc);
        }
        if (reader.BaseStream.Position == section.Length) return; // written before dead letters
        var deadLettering = reader.ReadInt32();
        if (deadLettering < 0 || deadLettering > count) throw new LogInconsistencyException($"checkpoint lists {deadLettering} dead-letter topics for {count} procs");
        for (var i = 0; i < deadLettering; i++)
        {
            var id = reader.ReadUInt32();
            var topic = reader.ReadString();
            var proc = _byId.GetValueOrDefault(id) ?? throw new LogInconsistencyException($"checkpoint gives a dead-letter topic to unknown proc {id}");
            proc.DeadLetterTopic = topic;
        }
    }

    private static void WriteRange(BinaryWriter writer, ProcRange range)
    {
        writer.Write(range.FirstSeq);
        writer.Write(range.FirstTimestamp);
        writer.Write(range.LastSeq);
        writer.Write(range.LastTimestamp);
    }

    private static ProcRange ReadRange(BinaryReader reader) =>
        new(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());

    private static long? NullableTime(long value) => value == long.MinValue ? null : value;
}
