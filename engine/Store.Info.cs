using Engine.Ids;
using Engine.Index;

namespace Engine;

/// <summary>What an operator asks of the store: its topics, from memory and the index, without reading the log.</summary>
internal sealed partial class Store
{
    /// <summary>Every topic that has had a record, by name (ordinal): length and first/last kept ids from the index.</summary>
    public IReadOnlyList<TopicInfo> ListTopics()
    {
        for (var attempt = 0; ; attempt++)
        {
            var damaged = (Topics.Topic?)null;
            try
            {
                using var read = _gate.EnterRead();
                ThrowIfClosed();
                var topics = new List<TopicInfo>();
                foreach (var topic in _state.Topics.All)
                {
                    damaged = topic;
                    var next = topic.NextSeq;
                    if (next == 0) continue; // prepared by a commit that failed: never had a record
                    var first = Math.Min(topic.FirstSeq, next);
                    topics.Add(first == next
                        ? new TopicInfo(topic.Name, 0, "", "")
                        : new TopicInfo(topic.Name, next - first, IdOf(topic, first), IdOf(topic, next - 1)));
                }
                topics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                return topics;
            }
            catch (IndexDamagedException e)
            {
                RepairIndex(damaged!, e, attempt);
            }
        }
    }

    /// <summary>The id of record <paramref name="seq"/>, from its index slot (inside the read gate).</summary>
    internal static string IdOf(Topics.Topic topic, long seq) => LogId.Format(topic.Index.TimestampOf(seq), seq);
}
