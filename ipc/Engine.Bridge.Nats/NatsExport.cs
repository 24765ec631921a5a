namespace Engine.Bridge.Nats;

/// <summary>One exported topic: every record of <see cref="Topic"/> is published to <see cref="Subject"/>.</summary>
/// <param name="Topic">The Engine topic.</param>
/// <param name="Subject">The JetStream subject (a stream must capture it).</param>
public sealed record NatsExport(string Topic, string Subject)
{
    /// <summary>The proc that keeps the export's progress (its lag is the export's lag).</summary>
    public string ProcName { get; init; } = $"nats-export/{Topic}";
}
