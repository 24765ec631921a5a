namespace Engine.Index;

/// <summary>
/// A slot of a topic's index failed its check: the read that met it backs out, the index is
/// rebuilt from the log, and the read is tried again. Never escapes the engine.
/// </summary>
internal sealed class IndexDamagedException(uint topicId, long seq, string where)
    : Exception($"index slot of topic {topicId} seq {seq} is damaged ({where})")
{
    public uint TopicId { get; } = topicId;
}
