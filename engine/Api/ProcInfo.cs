namespace Engine;

/// <summary>A proc's state and how far behind its topic it is.</summary>
/// <param name="State">The proc's state, as <see cref="ILogClient.InspectProcAsync"/> returns it.</param>
/// <param name="Lag">
/// Records of the proc's topic after its last acked record that GC still keeps; claimed but
/// unacked records count. Computed from the topic's index, never by a scan.
/// </param>
/// <param name="OldestPendingAge">Now minus the timestamp of the first of those records; null when <paramref name="Lag"/> is 0.</param>
public sealed record ProcInfo(ProcState State, long Lag, TimeSpan? OldestPendingAge);
