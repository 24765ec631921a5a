using System.Globalization;

namespace Engine.Torture;

/// <summary>
/// What the children of one store reported as acknowledged, kept by the parent: every record
/// committed (with the bytes it must have), how far the worker proc claimed and acked, and what
/// the explicit garbage collections did. Fed the children's lines in order.
/// </summary>
public sealed class Ledger
{
    private readonly Dictionary<byte, SortedDictionary<long, Expected>> _records = TortureTopics.All.ToDictionary(t => t, _ => new SortedDictionary<long, Expected>());

    /// <summary>An acknowledged record: its id and how to rebuild its bytes.</summary>
    public sealed record Expected(string Id, long Batch, int Index, byte[] Layout, long Tag)
    {
        public byte[] Body(byte topic) => RecordBody.Build(topic, Batch, Index, Layout, Tag);
    }

    /// <summary>A ledger for a store whose reports are unknown: any claim may have been made.</summary>
    public static Ledger Unknown() => new() { WorkerClaimed = long.MaxValue };

    public IReadOnlyDictionary<long, Expected> Records(byte topic) => _records[topic];

    public long AcknowledgedRecords => _records.Values.Sum(r => r.Count);

    /// <summary>The last Work seq a reported ack or ack-commit covered; -1 before any.</summary>
    public long WorkerAcked { get; private set; } = -1;

    /// <summary>The last Work seq a reported claim covered; an ack in flight at the kill acks at most this.</summary>
    public long WorkerClaimed { get; private set; } = -1;

    public GcTotals Gc { get; } = new();

    public sealed class GcTotals
    {
        public long Runs { get; set; }
        public long Pruned { get; set; }
        public long Relocated { get; set; }
        public long SegmentsDeleted { get; set; }
        public long ChunksDeleted { get; set; }
    }

    /// <summary>
    /// Applies one line. A line without its " ;" end was cut by the kill: it is not an
    /// acknowledgement (the caller allows that only for the last line). Returns false for it.
    /// </summary>
    public bool Apply(string line)
    {
        if (!line.EndsWith(" ;", StringComparison.Ordinal)) return false;
        var parts = line[..^2].Split(' ');
        switch (parts[0])
        {
            case "READY":
                break;
            case "C":
                ApplyCommit(Long(parts[1]), [.. parts.Skip(2).SelectMany(Members)], -1);
                break;
            case "CL":
                WorkerClaimed = Math.Max(WorkerClaimed, Ids.LastSeq(parts[1]));
                break;
            case "A":
                WorkerAcked = Math.Max(WorkerAcked, Ids.LastSeq(parts[1]));
                break;
            case "AC":
                var acked = Ids.LastSeq(parts[1]);
                WorkerAcked = Math.Max(WorkerAcked, acked);
                ApplyCommit(Long(parts[2]), [.. parts.Skip(3).Select(id => (TortureTopics.Done, id))], acked);
                break;
            case "G":
                Gc.Runs++;
                Gc.Pruned += Long(parts[1]);
                Gc.Relocated += Long(parts[2]);
                Gc.SegmentsDeleted += Long(parts[3]);
                Gc.ChunksDeleted += Long(parts[4]);
                break;
            default:
                throw new FormatException($"not a torture report line: '{line}'");
        }
        return true;
    }

    /// <summary>"topic:id", or "topic:ts-seq*n" for n records with consecutive seqs.</summary>
    private static IEnumerable<(byte Topic, string Id)> Members(string part)
    {
        var colon = part.IndexOf(':', StringComparison.Ordinal);
        var topic = byte.Parse(part.AsSpan(0, colon), CultureInfo.InvariantCulture);
        var star = part.IndexOf('*', StringComparison.Ordinal);
        if (star < 0) return [(topic, part[(colon + 1)..])];
        var first = part[(colon + 1)..star];
        var ts = first[..first.IndexOf('-', StringComparison.Ordinal)];
        var seq = Ids.Seq(first);
        return Enumerable.Range(0, (int)Long(part[(star + 1)..])).Select(i => (topic, string.Create(CultureInfo.InvariantCulture, $"{ts}-{seq + i}")));
    }

    private void ApplyCommit(long batch, (byte Topic, string Id)[] records, long tag)
    {
        var layout = records.Select(r => r.Topic).ToArray();
        for (var i = 0; i < records.Length; i++)
            _records[records[i].Topic][Ids.Seq(records[i].Id)] = new Expected(records[i].Id, batch, i, layout, tag);
    }

    private static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
