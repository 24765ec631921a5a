using System.Collections.Concurrent;

namespace Engine.Topics;

/// <summary>
/// Topics by name (for callers) and by id (for the log, which stores ids). Only the log writer
/// adds; lookups are lock-free.
/// </summary>
internal sealed class TopicTable
{
    private readonly ConcurrentDictionary<string, Topic> _byName = new(StringComparer.Ordinal);
    private Topic?[] _byId = new Topic?[16];

    /// <summary>The id the next new topic gets.</summary>
    public uint NextId { get; set; } = 1;

    public IEnumerable<Topic> All => _byName.Values;

    public int Count => _byName.Count;

    public bool TryGet(string name, out Topic topic) => _byName.TryGetValue(name, out topic!);

    public Topic? ById(uint id)
    {
        var byId = Volatile.Read(ref _byId);
        return id < byId.Length ? byId[id] : null;
    }

    public void Add(Topic topic)
    {
        var byId = _byId;
        if (topic.Id >= byId.Length)
        {
            var grown = new Topic?[Math.Max(topic.Id + 1, byId.Length * 2L)];
            Array.Copy(byId, grown, byId.Length);
            byId = grown;
        }
        byId[topic.Id] = topic;
        Volatile.Write(ref _byId, byId);
        _byName[topic.Name] = topic;
        if (topic.Id >= NextId) NextId = topic.Id + 1;
    }
}
