using Engine.Ids;
using Engine.Index;
using Engine.Log;
using Engine.Recovery;
using Engine.Topics;
using Engine.Telemetry;

namespace Engine;

/// <summary>
/// Reads: bounds resolve to seqs through the index, then each record is read where its slot says,
/// checked (its own CRC, and that it is the record the slot claims), and copied once into the
/// entry returned. Reads take no lock; they hold the reclamation gate so nothing they look at is
/// unmapped under them. A damaged index slot makes the read back out, rebuild the topic's index
/// from the log and try again (see <see cref="RepairIndex"/>).
/// </summary>
internal sealed partial class Store
{
    /// <summary>A topic by name, or <see cref="LogEngineError.InvalidTopic"/>.</summary>
    public Topic GetTopic(string name)
    {
        ThrowIfClosed();
        if (name is not null && _state.Topics.TryGet(name, out var topic) && topic.NextSeq > 0) return topic;
        Names.Validate(name, "topic");
        throw new LogEngineException(LogEngineError.InvalidTopic, $"topic '{name}' has never been committed to");
    }

    public long Length(string topicName) => GetTopic(topicName).Length;

    /// <summary>A range read; see <see cref="ILogClient.RangeAsync"/> and <see cref="ILogClient.RevRangeAsync"/>.</summary>
    public IReadOnlyList<LogEntry> Range(string topicName, RangeOptions? options, bool reverse)
    {
        options ??= DefaultRange;
        var bounds = RangeRequest.Of(options);
        var topic = GetTopic(topicName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var read = _gate.EnterRead();
                ThrowIfClosed();
                var (low, high) = bounds.Seqs(topic, reverse);
                if (low > high) return [];
                var count = high - low + 1;
                if (options.Limit > 0) count = Math.Min(count, options.Limit);
                // Bounded memory: every record counts at least its overhead, so the count is
                // checked before the array is made, and the bodies as they are copied.
                var budget = _options.MaxRangeBytes;
                if (count > budget / LogEngineOptions.RangeRecordOverhead) throw TooLarge(topic, count, budget);
                var entries = new LogEntry[count];
                var reader = new RecordReader(this, topic);
                var bytes = 0L;
                for (var i = 0; i < count; i++)
                {
                    entries[i] = reader.Read(reverse ? high - i : low + i, count - i);
                    bytes += entries[i].Body.Length + LogEngineOptions.RangeRecordOverhead;
                    if (bytes > budget) throw TooLarge(topic, count, budget);
                }
                return entries;
            }
            catch (IndexDamagedException e)
            {
                RepairIndex(topic, e, attempt);
            }
        }
    }

    private static readonly RangeOptions DefaultRange = new();

    /// <summary>A range's bounds, parsed and checked once: what a range read and a scan resolve to seqs.</summary>
    private readonly record struct RangeRequest(RangeBound Start, RangeBound End, bool Exclusive)
    {
        public static RangeRequest Of(RangeOptions options)
        {
            var request = new RangeRequest(RangeBound.Parse(options.Start, "start"), RangeBound.Parse(options.End, "end"), options.Exclusive);
            if (options.Limit < -1) throw new LogEngineException(LogEngineError.InvalidArgument, $"limit {options.Limit}: use -1 or 0 for no limit, or a positive count");
            return request;
        }

        /// <summary>The seqs <c>[Low, High]</c> the bounds admit now (empty when Low &gt; High); newest first swaps the bounds. Under the reclamation gate.</summary>
        public (long Low, long High) Seqs(Topic topic, bool reverse)
        {
            var (first, next) = (topic.FirstSeq, topic.NextSeq);
            var (from, to) = reverse ? (End, Start) : (Start, End);
            return (Lower(topic, from, Exclusive, first, next), Upper(topic, to, Exclusive, first, next));
        }
    }

    private static LogEngineException TooLarge(Topic topic, long count, long budget) =>
        new(LogEngineError.InvalidArgument,
            $"a range of {count:N0} records of topic '{topic.Name}' would take more than MaxRangeBytes ({budget:N0} bytes, " +
            $"counting {LogEngineOptions.RangeRecordOverhead} bytes per record besides its body): read it in pages with Limit and Start");

    /// <summary>Reads records <c>[from, from + count)</c> of a topic, oldest first; used by procs.</summary>
    public IReadOnlyList<LogEntry> ReadSeqs(Topic topic, long from, long count)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var read = _gate.EnterRead();
                ThrowIfClosed();
                var entries = new LogEntry[count];
                var reader = new RecordReader(this, topic);
                for (var i = 0; i < count; i++) entries[i] = reader.Read(from + i, count - i);
                return entries;
            }
            catch (IndexDamagedException e)
            {
                RepairIndex(topic, e, attempt);
            }
        }
    }

    /// <summary>Resolves a bound to the lowest seq it admits.</summary>
    internal static long Lower(Topic topic, RangeBound bound, bool exclusive, long first, long next) => bound.Kind switch
    {
        BoundKind.Open => first,
        BoundKind.Position => CheckedPosition(topic, bound.Seq, first, next) + (exclusive ? 1 : 0),
        BoundKind.Timestamp => topic.Index.FirstAtOrAfter(first, next, bound.Timestamp, strictly: exclusive),
        _ => topic.Index.FirstIdAtOrAfter(first, next, bound.Timestamp, bound.Seq, strictly: exclusive),
    };

    /// <summary>Resolves a bound to the highest seq it admits (a bare timestamp covers its whole millisecond).</summary>
    internal static long Upper(Topic topic, RangeBound bound, bool exclusive, long first, long next) => bound.Kind switch
    {
        BoundKind.Open => next - 1,
        BoundKind.Position => CheckedPosition(topic, bound.Seq, first, next) - (exclusive ? 1 : 0),
        BoundKind.Timestamp => topic.Index.FirstAtOrAfter(first, next, bound.Timestamp, strictly: !exclusive) - 1,
        _ => topic.Index.FirstIdAtOrAfter(first, next, bound.Timestamp, bound.Seq, strictly: !exclusive) - 1,
    };

    private static long CheckedPosition(Topic topic, long seq, long first, long next) =>
        seq >= first && seq < next
            ? seq
            : throw new LogEngineException(LogEngineError.SequenceNotFound,
                first < next
                    ? $"topic '{topic.Name}' has no record :{seq} (it keeps :{first} to :{next - 1})"
                    : $"topic '{topic.Name}' has no record :{seq} (it keeps none)");

    /// <summary>Reads one topic's records by seq, remembering the segment last used.</summary>
    private struct RecordReader(Store store, Topic topic)
    {
        private Segment? _segment;
        private BodyBlocks _bodies;

        public LogEntry Read(long seq, long remaining)
        {
            var body = ReadInPlace(seq, out var timestamp);
            return new LogEntry(timestamp, seq, _bodies.Copy(body, remaining));
        }

        /// <summary>The record's body where it lies in the log, checked; valid while the reclamation gate is held.</summary>
        public ReadOnlySpan<byte> ReadInPlace(long seq, out long timestamp)
        {
            (var position, timestamp) = topic.Index.Get(seq);
            if (_segment is null || !_segment.Contains(position))
            {
                _segment = store._segments.Find(position)
                    ?? throw new IndexDamagedException(topic.Id, seq, $"it points at position {position}, outside the log");
            }
            if (!RecordEntry.TryVerify(_segment.From(position), topic.Id, seq, timestamp, out var body, out var error))
                throw Corruption.At(store._medium.SegmentName(_segment.BasePosition), position - _segment.BasePosition, $"topic '{topic.Name}' seq {seq}: {error}");
            return body;
        }
    }

    /// <summary>
    /// A read met a damaged index slot. First look again (the GC may have pruned the record while
    /// it was being read); then rebuild the topic's index from the log; after that, the log itself
    /// lacks the record: <see cref="LogEngineError.Corrupted"/>.
    /// </summary>
    private void RepairIndex(Topic topic, IndexDamagedException damage, int attempt)
    {
        if (attempt >= 2)
            throw new LogEngineException(LogEngineError.Corrupted, $"topic '{topic.Name}': {damage.Message}, even after rebuilding its index");
        lock (_writeLock)
        {
            ThrowIfClosed();
            if (attempt == 0 && topic.FirstSeq > 0) return;
            _logger.IndexDamagedRebuilding(damage.Message, topic.Name);
            _gate.Free(topic.Index.DetachAll().Select(c => c.Region));
            IndexRebuilder.Rebuild(_medium, _segments, [(topic, topic.FirstSeq, topic.NextSeq)], _writer.Position);
        }
    }
}
