using Engine.Log;

namespace Engine.Gc;

/// <summary>
/// Writes copies of live records (bodies read beforehand, outside the write lock) as relocated
/// record entries: applying them moves each record's index slot to the copy, and nothing else.
/// A record pruned meanwhile is skipped, so a copy never resurrects anything.
/// </summary>
internal sealed class RelocateOperation(IGcStore store, IReadOnlyList<RelocatedRecord> records) : Log.IFrameExtension
{
    private readonly List<RelocatedRecord> _kept = [];

    public bool SuppressRecords => false;

    public int Kept => _kept.Count;

    public int Prepare()
    {
        _kept.Clear();
        var length = 0;
        foreach (var record in records)
        {
            var topic = store.State.Topics.ById(record.TopicId);
            if (topic is null || record.Seq < topic.FirstSeq) continue;
            _kept.Add(record);
            length += RecordEntry.PaddedLength(record.Body.Length);
        }
        return length;
    }

    public void Write(ref FrameWriter writer)
    {
        foreach (var record in _kept) writer.AddRecord(record.TopicId, record.Seq, record.Timestamp, record.Body.Span, RecordEntry.RelocatedFlag);
    }
}

/// <summary>A live record about to be copied forward.</summary>
internal readonly record struct RelocatedRecord(uint TopicId, long Seq, long Timestamp, ReadOnlyMemory<byte> Body);
