namespace Engine;

/// <summary>
/// The names to subscribe to: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both called "Engine"
/// (OpenTelemetry: <c>.AddMeter(EngineTelemetry.MeterName)</c>, <c>.AddSource(EngineTelemetry.ActivitySourceName)</c>).
/// Every instrument is listed in the README.
/// </summary>
public static class EngineTelemetry
{
    /// <summary>The engine's meter.</summary>
    public const string MeterName = "Engine";

    /// <summary>The engine's activity source (spans for commit, claim, ack, reclaim, system proc batches, processor runs in workers, and IPC requests on both sides).</summary>
    public const string ActivitySourceName = "Engine";
}
