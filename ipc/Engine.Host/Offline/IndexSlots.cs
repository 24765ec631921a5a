using Engine.Index;
using Engine.Storage;
using System.Runtime.CompilerServices;

namespace Engine.Host.Offline;

/// <summary>How a copy of a record stands with its index slot.</summary>
internal enum SlotVerdict
{
    /// <summary>The slot points at this copy, with its timestamp.</summary>
    Matches,
    /// <summary>The slot cannot point at this copy or any later one: missing, damaged, or pointing earlier.</summary>
    Differs,
    /// <summary>
    /// The slot is intact and points at a later position: a newer copy there (the GC relocates
    /// live records forward) may match, which only the whole walk can tell.
    /// </summary>
    PointsLater,
}

/// <summary>
/// The index chunk files of a store, each mapped once when a record first needs it and its header
/// checked then, shared by the segment walks that run at once. A damaged or missing chunk is
/// reported once, here; the slot problems of its records go to the caller.
/// </summary>
internal sealed class IndexSlots(StoreFiles files) : IDisposable
{
    private readonly Dictionary<(uint, uint), ReadOnlyView?> _chunks = [];
    private readonly Lock _lock = new();
    private readonly List<Problem> _problems = [];

    /// <summary>How many chunk files were looked at.</summary>
    public int Opened
    {
        get
        {
            lock (_lock) return _chunks.Count;
        }
    }

    /// <summary>The chunks found damaged, in the order they were found.</summary>
    public IReadOnlyList<Problem> Problems
    {
        get
        {
            lock (_lock) return [.. _problems];
        }
    }

    /// <summary>A reader for one walk: it remembers the chunk asked last, as records come in runs of one topic's chunk.</summary>
    public Reader NewReader() => new(this);

    private ReadOnlyView? Chunk(uint topic, uint chunk)
    {
        lock (_lock)
        {
            if (_chunks.TryGetValue((topic, chunk), out var cached)) return cached;
            ReadOnlyView? view = null;
            if (files.IndexChunks.TryGetValue((topic, chunk), out var path))
            {
                view = ReadOnlyView.Open(path, NativeFile.Access.Normal);
                if (!IndexChunkHeader.IsValid(view.Span(0, (int)Math.Min(view.Length, IndexChunkHeader.Length)), topic, chunk))
                {
                    _problems.Add(new Problem(ChunkName(topic, chunk), 0, "index chunk header is damaged"));
                    view.Dispose();
                    view = null;
                }
            }
            _chunks[(topic, chunk)] = view;
            return view;
        }
    }

    private static string ChunkName(uint topic, uint chunk) => Path.Combine("index", $"{topic:x8}-{chunk:x8}.idx");

    public void Dispose()
    {
        lock (_lock)
            foreach (var view in _chunks.Values) view?.Dispose();
    }

    /// <summary>Checks records against their slots for one walk (not shared between threads).</summary>
    internal sealed class Reader(IndexSlots slots)
    {
        private (uint Topic, uint Chunk, ReadOnlyView? View) _last = (uint.MaxValue, uint.MaxValue, null);

        /// <summary>
        /// Checks the copy of record (<paramref name="topic"/>, <paramref name="seq"/>) at log
        /// <paramref name="position"/> against its slot. The problem, made only when there is one
        /// (formatting a file name for every record cost more than all the checks together), is
        /// what the copy has if it is the record's newest; <paramref name="slotPosition"/> and
        /// <paramref name="slotTimestamp"/> are the slot's, for a <see cref="SlotVerdict.PointsLater"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a record: see SegmentCheck.Run
        public SlotVerdict Check(uint topic, long seq, long position, long timestamp, out Problem? problem, out long slotPosition, out long slotTimestamp)
        {
            problem = null;
            slotPosition = slotTimestamp = 0;
            var chunk = TopicIndex.ChunkOf(seq);
            if (_last.Topic != topic || _last.Chunk != chunk) _last = (topic, chunk, slots.Chunk(topic, chunk));
            var view = _last.View;
            if (view is null)
            {
                problem = new Problem(ChunkName(topic, chunk), 0, $"the index chunk of topic {topic} seq {seq} is missing or its header is damaged");
                return SlotVerdict.Differs;
            }
            var slotOffset = IndexChunkHeader.Length + (seq & (TopicIndex.SlotsPerChunk - 1)) * IndexEntry.Size;
            if (slotOffset + IndexEntry.Size > view.Length)
            {
                problem = new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot lies past the end of the file");
                return SlotVerdict.Differs;
            }
            if (!IndexEntry.TryRead(view.Span(slotOffset, IndexEntry.Size), topic, seq, out slotPosition, out slotTimestamp))
            {
                problem = new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot fails its check");
                return SlotVerdict.Differs;
            }
            if (slotPosition == position && slotTimestamp == timestamp) return SlotVerdict.Matches;
            problem = new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot says position {slotPosition} ts {slotTimestamp}, the record is at {position} ts {timestamp}");
            return slotPosition > position ? SlotVerdict.PointsLater : SlotVerdict.Differs;
        }
    }
}
