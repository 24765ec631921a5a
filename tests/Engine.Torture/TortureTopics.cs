namespace Engine.Torture;

/// <summary>
/// The topics the committer writes and what GC may do to each. Pinned topics have a proc that
/// never acks, so GC may never prune them: every record committed there stays, and a missing one
/// is a loss. <see cref="Work"/> is pruned up to what the <see cref="Worker"/> proc acked; its
/// records are large so that segments become mostly dead and GC relocates the live rest and
/// deletes them. <see cref="Ticks"/> has no proc: GC prunes it by age alone, and its records are
/// tiny and many so its index chunks fill up and get deleted.
/// </summary>
public static class TortureTopics
{
    public const byte Keep0 = 0;
    public const byte Keep1 = 1;
    public const byte Keep2 = 2;
    public const byte Done = 3;
    public const byte Work = 4;
    public const byte Ticks = 5;

    /// <summary>The proc that claims from <see cref="Work"/> and acks or ack-commits to <see cref="Done"/>.</summary>
    public const string Worker = "worker";

    public static IReadOnlyList<byte> All { get; } = [Keep0, Keep1, Keep2, Done, Work, Ticks];

    public static IReadOnlyList<byte> Pinned { get; } = [Keep0, Keep1, Keep2, Done];

    public static string Name(byte topic) => topic switch
    {
        Keep0 => "keep0",
        Keep1 => "keep1",
        Keep2 => "keep2",
        Done => "done",
        Work => "work",
        Ticks => "ticks",
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "not a torture topic"),
    };

    public static bool IsPinned(byte topic) => topic <= Done;

    /// <summary>The proc that pins a pinned topic: it claims once and never acks.</summary>
    public static string PinProc(byte topic) => "pin-" + Name(topic);
}
