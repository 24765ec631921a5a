using Engine.Checkpoints;

namespace Engine.Fuzz.Oracles;

/// <summary>
/// Whether two checkpoints say the same thing. <see cref="Checkpoint"/> is a record, but its
/// list and dictionary compare by reference, so equality is spelled out here.
/// </summary>
internal static class CheckpointEquality
{
    public static bool Same(Checkpoint a, Checkpoint b) =>
        a.Generation == b.Generation
        && a.LogPosition == b.LogPosition
        && a.CleanShutdown == b.CleanShutdown
        && a.NextTopicId == b.NextTopicId
        && a.Topics.SequenceEqual(b.Topics)
        && a.Sections.Count == b.Sections.Count
        && a.Sections.All(s => b.Sections.TryGetValue(s.Key, out var other) && other.AsSpan().SequenceEqual(s.Value));
}
