namespace Engine;

/// <summary>
/// What <see cref="ILogClient.AckAndProcAsync"/> did: the range it acknowledged, and the next
/// records it claimed (empty when the topic had none past the cursor).
/// </summary>
public sealed record AckAndProcResult(string AckedRange, IReadOnlyList<LogEntry> Claimed);
