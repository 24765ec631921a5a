using Engine.Index;

namespace Engine.Topics;

/// <summary>
/// A topic's live state. The log writer changes it; readers see <see cref="NextSeq"/> and
/// <see cref="FirstSeq"/> through volatile reads, and the writer publishes a new
/// <see cref="NextSeq"/> only after the records and index slots below it are complete.
/// </summary>
internal sealed class Topic(uint id, string name, TopicIndex index)
{
    private long _nextSeq;
    private long _firstSeq;

    public uint Id { get; } = id;

    public string Name { get; } = name;

    public TopicIndex Index { get; } = index;

    /// <summary>The seq the next record gets; also the count of records ever committed.</summary>
    public long NextSeq
    {
        get => Volatile.Read(ref _nextSeq);
        set => Volatile.Write(ref _nextSeq, value);
    }

    /// <summary>The first record still kept (records below it were pruned by the GC).</summary>
    public long FirstSeq
    {
        get => Volatile.Read(ref _firstSeq);
        set => Volatile.Write(ref _firstSeq, value);
    }

    /// <summary>
    /// The seq the writer gives the next record it appends. Runs ahead of <see cref="NextSeq"/>
    /// while a frame is being applied; equal to it otherwise. Writer only.
    /// </summary>
    public long AppendSeq { get; set; }

    /// <summary>
    /// The number of the last frame that gave this topic a record (see <c>LogState.Apply</c>): an
    /// O(1) "already touched by this frame?" check, where a search of the touched list made a
    /// frame of n new topics cost n². Writer only.
    /// </summary>
    public long TouchedByFrame { get; set; } = -1;

    /// <summary>The timestamp of the last record: the next one never gets a smaller one.</summary>
    public long LastTimestamp { get; set; }

    /// <summary>Records kept.</summary>
    public long Length => Math.Max(0, NextSeq - FirstSeq);
}
