using Engine.Log;
using Engine.Topics;

namespace Engine.Gc;

/// <summary>
/// Decides, under the write lock, how far each topic may be pruned, and writes it as
/// <see cref="EntryType.TopicPruned"/> entries in one frame: records older than
/// <c>MinPruneTime</c>, and, on a topic with active procs, only those every active proc has acked
/// (a proc's cursor is past them). Disabled procs do not hold records back.
/// </summary>
internal sealed class PruneOperation(IGcStore store, long cutoffMs) : Log.IFrameExtension
{
    private readonly List<(Topic Topic, long FirstKept)> _prunes = [];

    public IReadOnlyList<(Topic Topic, long FirstKept)> Prunes => _prunes;

    public bool SuppressRecords => false;

    public bool FreesSpace => true;

    public int Prepare()
    {
        _prunes.Clear();
        var context = store.ProcContext();
        var procsByTopic = store.State.Procs.All
            .Where(p => p.Status == ProcStatus.Active)
            .ToLookup(p => p.Topic, StringComparer.Ordinal);
        using var gate = store.EnterReadGate();
        foreach (var topic in store.State.Topics.All)
        {
            var first = topic.FirstSeq;
            var next = topic.NextSeq;
            if (first >= next) continue;
            var firstKept = topic.Index.FirstAtOrAfter(first, next, cutoffMs, strictly: false);
            foreach (var proc in procsByTopic[topic.Name]) firstKept = Math.Min(firstKept, context.Cursor(proc, topic));
            if (firstKept > first) _prunes.Add((topic, firstKept));
        }
        return _prunes.Count * FrameHeader.Align(TopicPrunedEntry.EntryLength);
    }

    public void Write(ref FrameWriter writer)
    {
        foreach (var (topic, firstKept) in _prunes)
        {
            var entry = writer.BeginEntry(EntryType.TopicPruned, 0, TopicPrunedEntry.EntryLength);
            TopicPrunedEntry.Write(entry, topic.Id, firstKept);
            writer.EndEntry();
        }
    }
}
