using System.Buffers;

namespace Engine.Index;

/// <summary>
/// Index slots of consecutive seqs of one chunk, built in a pooled buffer while a frame is applied
/// and written together once it is (<see cref="TopicIndex.Stage"/>, <see cref="TopicIndex.WriteStaged"/>).
/// Writer only.
/// </summary>
internal sealed class SlotRun
{
    /// <summary>Slots a run holds at most: 64 KiB, what one reservation step of a chunk covers.</summary>
    public const int MaxSlots = 4096;

    private byte[]? _bytes;

    public long FirstSeq { get; private set; }

    public int Count { get; private set; }

    /// <summary>The slots, in seq order.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Count * IndexEntry.Size);

    /// <summary>Whether slot <paramref name="seq"/> continues the run (or starts it).</summary>
    public bool Continues(long seq) =>
        Count == 0 || (seq == FirstSeq + Count && Count < MaxSlots && TopicIndex.ChunkOf(seq) == TopicIndex.ChunkOf(FirstSeq));

    public void Add(uint topicId, long seq, long position, long timestamp)
    {
        if (Count == 0)
        {
            _bytes ??= ArrayPool<byte>.Shared.Rent(MaxSlots * IndexEntry.Size);
            FirstSeq = seq;
        }
        IndexEntry.Write(_bytes.AsSpan(Count * IndexEntry.Size, IndexEntry.Size), topicId, seq, position, timestamp);
        Count++;
    }

    /// <summary>Empties the run and gives its buffer back to the pool.</summary>
    public void Clear()
    {
        Count = 0;
        if (_bytes is null) return;
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = null;
    }
}
