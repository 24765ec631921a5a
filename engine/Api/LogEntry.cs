using System.Text;
using System.Text.Json;

namespace Engine;

/// <summary>A record read back: its id <c>"&lt;ts&gt;-&lt;seq&gt;"</c> and its body bytes.</summary>
public sealed record LogEntry(string Id, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body deserialised from UTF-8 JSON.</summary>
    public T? BodyAs<T>() => JsonSerializer.Deserialize<T>(Body.Span);

    /// <summary>The body decoded as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}
