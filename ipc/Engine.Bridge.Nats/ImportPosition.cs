using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engine.Bridge.Nats;

/// <summary>
/// The body of an import's state record: the stream sequence of the last message committed. It is
/// committed in the same atomic batch as the messages it covers, so after any crash it is exactly
/// as far as the topic is, and a redelivered message at or below it is recognised and skipped.
/// </summary>
/// <param name="Stream">The JetStream stream.</param>
/// <param name="Seq">The stream sequence of the last message committed.</param>
internal sealed record ImportPosition(string Stream, ulong Seq)
{
    public CommitLog ToLog(string stateTopic) =>
        new(stateTopic, JsonSerializer.SerializeToUtf8Bytes(this, ImportPositionJson.Default.ImportPosition));

    public static ImportPosition Parse(LogEntry entry) =>
        JsonSerializer.Deserialize(entry.Body.Span, ImportPositionJson.Default.ImportPosition)
        ?? throw new LogEngineException(LogEngineError.Corrupted, $"import state record {entry.Id} is empty");

    /// <summary>The last committed sequence of the import kept in <paramref name="stateTopic"/>; 0 when nothing was committed yet.</summary>
    public static async ValueTask<ulong> ReadAsync(ILogClient engine, string stateTopic, CancellationToken ct)
    {
        try
        {
            var last = await engine.RevRangeAsync(stateTopic, new RangeOptions { Limit = 1 }, ct);
            return last.Count == 0 ? 0 : Parse(last[0]).Seq;
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
        {
            return 0; // never committed to
        }
    }
}

/// <summary>Source-generated JSON for <see cref="ImportPosition"/> (camelCase: <c>{"stream":"S","seq":12}</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ImportPosition))]
internal sealed partial class ImportPositionJson : JsonSerializerContext;
