using System.Text.Json;

namespace Engine;

/// <summary>One record to commit: a topic and the body bytes.</summary>
public readonly record struct CommitLog(string Topic, ReadOnlyMemory<byte> Body)
{
    /// <summary>A record whose body is <paramref name="body"/> serialised as UTF-8 JSON.</summary>
    public static CommitLog Json<T>(string topic, T body) =>
        new(topic, JsonSerializer.SerializeToUtf8Bytes(body));
}
