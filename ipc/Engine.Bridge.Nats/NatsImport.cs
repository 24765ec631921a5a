namespace Engine.Bridge.Nats;

/// <summary>One import: the messages of <see cref="Stream"/> on <see cref="Subject"/> are committed to <see cref="Topic"/>.</summary>
/// <param name="Stream">The JetStream stream.</param>
/// <param name="Subject">The filter subject (wildcards allowed).</param>
/// <param name="Topic">The Engine topic fed.</param>
public sealed record NatsImport(string Stream, string Subject, string Topic)
{
    /// <summary>The durable consumer's name; null = <c>engine-&lt;namespace&gt;-&lt;topic&gt;</c>, made a legal name.</summary>
    public string? Durable { get; init; }

    /// <summary>
    /// The topic holding the last committed stream sequence, committed in the same atomic batch as
    /// the records; null = <c>nats-import/&lt;stream&gt;/&lt;durable&gt;</c>.
    /// </summary>
    public string? StateTopic { get; init; }
}
