namespace Engine.Bridge.Nats;

/// <summary>
/// The <c>Nats-Msg-Id</c> of an exported record: <c>namespace/topic/record id</c>. A record keeps its
/// id forever, so a resend after a crash carries the same one and JetStream drops it as a duplicate
/// (within the stream's duplicate window).
/// </summary>
public static class MessageIds
{
    /// <summary>The header JetStream deduplicates on.</summary>
    public const string MsgIdHeader = "Nats-Msg-Id";

    /// <summary>Header carrying the record's Engine topic, for consumers that want it.</summary>
    public const string TopicHeader = "Engine-Topic";

    /// <summary>Header carrying the record's Engine id (<c>ts-seq</c>): consumers can order by it.</summary>
    public const string IdHeader = "Engine-Id";

    /// <summary>The message id of record <paramref name="recordId"/> of <paramref name="topic"/>.</summary>
    public static string For(string ns, string topic, string recordId) => $"{ns}/{topic}/{recordId}";
}
