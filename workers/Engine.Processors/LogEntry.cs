using System.Text;
using System.Text.Json;

namespace Engine;

/// <summary>A record read back: its id <c>"&lt;ts&gt;-&lt;seq&gt;"</c> and its body bytes.</summary>
public sealed record LogEntry(string Id, ReadOnlyMemory<byte> Body)
{
    // An entry the engine reads keeps the id's two numbers and makes the string when asked. A
    // scan that looks at a few ids (or none) then skips most of the formatting, which took 75 ns
    // of the 113 ns a record cost to read.
    private string? _id = Id;
    private readonly long _timestamp;
    private readonly long _seq;

    internal LogEntry(long timestamp, long seq, ReadOnlyMemory<byte> body)
        : this(null!, body)
    {
        _timestamp = timestamp;
        _seq = seq;
    }

    /// <summary>The record's id, <c>"&lt;ts&gt;-&lt;seq&gt;"</c>.</summary>
    public string Id
    {
        get => _id ??= RecordIdText.Format(_timestamp, _seq); // two threads may both format it: same string
        init => _id = value;
    }

    /// <summary>The body deserialised from UTF-8 JSON.</summary>
    public T? BodyAs<T>() => JsonSerializer.Deserialize<T>(Body.Span);

    /// <summary>The body decoded as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Equal when the ids and bodies are (whether or not an id has been formatted yet).</summary>
    public bool Equals(LogEntry? other) =>
        other is not null && (ReferenceEquals(this, other) || (string.Equals(Id, other.Id, StringComparison.Ordinal) && Body.Equals(other.Body)));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Body);
}
