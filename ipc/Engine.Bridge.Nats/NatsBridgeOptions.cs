namespace Engine.Bridge.Nats;

/// <summary>What a <see cref="NatsBridge"/> moves, and how hard it pushes.</summary>
public sealed record NatsBridgeOptions
{
    /// <summary>The NATS server(s), comma-separated: <c>nats://host:4222</c>.</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>
    /// Names this Engine store among the others feeding the same streams: the first part of every
    /// <c>Nats-Msg-Id</c> (<c>namespace/topic/record id</c>) and of default durable names. Keep it
    /// stable: a resend is recognised as a duplicate only under the same id.
    /// </summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Topics published to JetStream.</summary>
    public IReadOnlyList<NatsExport> Exports { get; init; } = [];

    /// <summary>JetStream subjects committed to topics.</summary>
    public IReadOnlyList<NatsImport> Imports { get; init; } = [];

    /// <summary>
    /// When set, a stream of this name capturing every export subject is created if missing
    /// (file storage, one replica, the default two-minute duplicate window). When null, streams
    /// are the operator's: a subject no stream captures is reported and retried.
    /// </summary>
    public string? ExportStream { get; init; }

    /// <summary>Records claimed per export batch, and messages committed per import batch (at most).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Publishes awaiting their JetStream ack, per exported topic.</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary>How long one publish waits for its ack before it counts as failed and is retried.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait after a failure; each further failure doubles it up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long JetStream waits for an import ack before redelivering. Redeliveries are skipped by
    /// stream sequence, so this only bounds how soon a stuck batch comes again.
    /// </summary>
    public TimeSpan ImportAckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called for every failure the bridge is retrying (also logged). Runs on a bridge task: keep it short.</summary>
    public Action<NatsBridgeFault>? OnFault { get; init; }
}
