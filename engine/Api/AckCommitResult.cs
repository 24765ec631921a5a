namespace Engine;

/// <summary>What an atomic ack + commit did: the range acknowledged and the ids committed.</summary>
public sealed record AckCommitResult(string AckedRange, IReadOnlyList<string> CommittedIds);
