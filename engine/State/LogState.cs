using Engine.Checkpoints;
using Engine.Index;
using Engine.Log;
using Engine.Procs;
using Engine.Storage;
using Engine.Topics;

namespace Engine.State;

/// <summary>
/// The state the log describes: topics, their indexes and procs. It changes only by applying
/// frames, through one method used both right after a frame is written and when recovery replays
/// the log, so a reopened store is the same store by construction.
/// </summary>
internal sealed class LogState(IStorageMedium medium)
{
    private readonly List<Topic> _touched = [];
    private long _frames;

    public TopicTable Topics { get; } = new();

    public ProcTable Procs { get; } = new();

    public SystemProcs.SystemProcRegistry SystemProcs { get; } = new();

    /// <summary>Topics given new records by the frame applied last.</summary>
    public IReadOnlyList<Topic> TouchedTopics => _touched;

    public IStorageMedium Medium => medium;

    /// <summary>Applies every entry of a valid frame that starts at <paramref name="position"/>.</summary>
    public void Apply(ReadOnlySpan<byte> frame, long position)
    {
        _touched.Clear();
        _frames++;
        Procs.TouchedTopics.Clear();
        var entries = FrameDecoder.Entries(frame);
        while (entries.MoveNext())
        {
            var entry = entries.Current;
            var entryPosition = position + entries.CurrentOffset;
            switch ((EntryType)entry[EntryHeader.TypeOffset])
            {
                case EntryType.Record:
                    ApplyRecord(entry, entryPosition);
                    break;
                case EntryType.TopicCreated:
                    ApplyTopicCreated(entry);
                    break;
                case EntryType.TopicPruned:
                    ApplyTopicPruned(entry);
                    break;
                case EntryType.ProcCreated or EntryType.ProcClaimed or EntryType.ProcAcked or EntryType.ProcReclaimed
                    or EntryType.ProcStatusChanged or EntryType.ProcDestroyed:
                    Procs.Apply(entry);
                    break;
                case EntryType.SystemProcRegistered or EntryType.SystemProcRemoved:
                    SystemProcs.Apply(entry);
                    break;
                default:
                    throw new LogInconsistencyException($"entry type {entry[EntryHeader.TypeOffset]} has no handler");
            }
        }
        foreach (var topic in _touched)
        {
            topic.Index.WriteStaged(); // the slots before the seqs that make them readable
            topic.NextSeq = topic.AppendSeq;
        }
    }

    public void RestoreSections(IReadOnlyDictionary<ushort, byte[]> sections)
    {
        if (sections.TryGetValue(Checkpoint.ProcsSection, out var procs)) Procs.Restore(procs);
        if (sections.TryGetValue(Checkpoint.SystemProcsSection, out var systemProcs)) SystemProcs.Restore(systemProcs);
    }

    public IReadOnlyDictionary<ushort, byte[]> CaptureSections() =>
        new Dictionary<ushort, byte[]>
        {
            [Checkpoint.ProcsSection] = Procs.Capture(),
            [Checkpoint.SystemProcsSection] = SystemProcs.Capture(),
        };

    public Topic AddTopic(uint id, string name)
    {
        var topic = _prepared.Remove(id, out var prepared) ? prepared : new Topic(id, name, new TopicIndex(id, medium));
        Topics.Add(topic);
        return topic;
    }

    /// <summary>
    /// A topic the writer is about to create: made (and its first index chunk mapped) before its
    /// frame is written, so that nothing that can fail happens between writing and applying.
    /// </summary>
    public Topic PrepareTopic(uint id, string name)
    {
        if (!_prepared.TryGetValue(id, out var topic) || topic.Name != name)
        {
            topic = new Topic(id, name, new TopicIndex(id, medium));
            _prepared[id] = topic;
        }
        return topic;
    }

    private readonly Dictionary<uint, Topic> _prepared = [];

    private void ApplyRecord(ReadOnlySpan<byte> entry, long entryPosition)
    {
        var topicId = RecordEntry.TopicId(entry);
        var topic = Topics.ById(topicId) ?? throw new LogInconsistencyException($"record of unknown topic {topicId}");
        var seq = RecordEntry.Seq(entry);
        var timestamp = RecordEntry.Timestamp(entry);
        if ((entry[EntryHeader.FlagsOffset] & RecordEntry.RelocatedFlag) != 0)
        {
            // A copy made by compaction: it only moves the record, and only if it is still kept.
            if (seq >= topic.AppendSeq) throw new LogInconsistencyException($"relocated copy of topic '{topic.Name}' seq {seq} was never appended");
            if (seq >= topic.FirstSeq) topic.Index.Set(seq, entryPosition, timestamp);
            return;
        }
        if (seq != topic.AppendSeq)
            throw new LogInconsistencyException($"topic '{topic.Name}' expects seq {topic.AppendSeq} next, the log has {seq}");
        if (timestamp < topic.LastTimestamp)
            throw new LogInconsistencyException($"topic '{topic.Name}' seq {seq} goes back in time");
        topic.Index.Stage(seq, entryPosition, timestamp);
        topic.AppendSeq = seq + 1;
        topic.LastTimestamp = timestamp;
        if (topic.TouchedByFrame != _frames)
        {
            topic.TouchedByFrame = _frames;
            _touched.Add(topic);
        }
    }

    private void ApplyTopicCreated(ReadOnlySpan<byte> entry)
    {
        var id = TopicCreatedEntry.TopicId(entry);
        var name = Names.StrictUtf8.GetString(TopicCreatedEntry.Name(entry));
        if (Topics.ById(id) is { } existing)
        {
            if (existing.Name != name) throw new LogInconsistencyException($"topic {id} is '{existing.Name}', the log renames it '{name}'");
            return;
        }
        if (Topics.TryGet(name, out var other)) throw new LogInconsistencyException($"topic '{name}' already has id {other.Id}, the log gives it {id}");
        AddTopic(id, name);
    }

    private void ApplyTopicPruned(ReadOnlySpan<byte> entry)
    {
        var topicId = TopicPrunedEntry.TopicId(entry);
        var topic = Topics.ById(topicId) ?? throw new LogInconsistencyException($"prune of unknown topic {topicId}");
        var firstKept = TopicPrunedEntry.FirstKeptSeq(entry);
        if (firstKept > topic.AppendSeq) throw new LogInconsistencyException($"prune of topic '{topic.Name}' beyond its last record");
        if (firstKept > topic.FirstSeq) topic.FirstSeq = firstKept;
    }

}
