using Engine.Ids;
using Engine.Index;
using Engine.Log;
using Engine.Recovery;
using Engine.Topics;
using Microsoft.Extensions.Logging;

namespace Engine;

/// <summary>
/// Reads: bounds resolve to seqs through the index, then each record is read where its slot says,
/// checked (its own CRC, and that it is the record the slot claims), and copied once into the
/// entry returned. Reads take no lock; they hold the reclamation gate so nothing they look at is
/// unmapped under them.
/// </summary>
internal sealed partial class Store
{
    /// <summary>A topic by name, or <see cref="LogEngineError.InvalidTopic"/>.</summary>
    public Topic GetTopic(string name)
    {
        Names.Validate(name, "topic");
        ThrowIfUnusable();
        return _state.Topics.TryGet(name, out var topic) && topic.NextSeq > 0
            ? topic
            : throw new LogEngineException(LogEngineError.InvalidTopic, $"topic '{name}' has never been committed to");
    }

    public long Length(string topicName) => GetTopic(topicName).Length;

    /// <summary>A range read; see <see cref="ILogClient.RangeAsync"/> and <see cref="ILogClient.RevRangeAsync"/>.</summary>
    public IReadOnlyList<LogEntry> Range(string topicName, RangeOptions? options, bool reverse)
    {
        options ??= new RangeOptions();
        var start = RangeBound.Parse(options.Start, "start");
        var end = RangeBound.Parse(options.End, "end");
        if (options.Limit < -1) throw new LogEngineException(LogEngineError.InvalidArgument, $"limit {options.Limit}: use -1 or 0 for no limit, or a positive count");
        var topic = GetTopic(topicName);
        return WithIndexRepair(topic, () =>
        {
            using var read = _gate.EnterRead();
            ThrowIfUnusable();
            var first = topic.FirstSeq;
            var next = topic.NextSeq;
            var (low, high) = reverse
                ? (Lower(topic, end, options.Exclusive, first, next), Upper(topic, start, options.Exclusive, first, next))
                : (Lower(topic, start, options.Exclusive, first, next), Upper(topic, end, options.Exclusive, first, next));
            if (low > high) return [];
            var count = high - low + 1;
            if (options.Limit > 0) count = Math.Min(count, options.Limit);
            var entries = new LogEntry[count];
            Segment? segment = null;
            for (var i = 0; i < count; i++)
                entries[i] = ReadEntry(topic, reverse ? high - i : low + i, ref segment);
            return entries;
        });
    }

    /// <summary>Reads records <c>[from, from + count)</c> of a topic, oldest first; used by procs.</summary>
    public IReadOnlyList<LogEntry> ReadSeqs(Topic topic, long from, long count) => WithIndexRepair(topic, () =>
    {
        using var read = _gate.EnterRead();
        ThrowIfUnusable();
        var entries = new LogEntry[count];
        Segment? segment = null;
        for (var i = 0; i < count; i++) entries[i] = ReadEntry(topic, from + i, ref segment);
        return entries;
    });

    /// <summary>The id of record <paramref name="seq"/> (for range strings), from the index alone.</summary>
    public string IdOf(Topic topic, long seq) => WithIndexRepair(topic, () =>
    {
        using var read = _gate.EnterRead();
        return LogId.Format(topic.Index.TimestampOf(seq), seq);
    });

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

    private LogEntry ReadEntry(Topic topic, long seq, ref Segment? segment)
    {
        var (position, timestamp) = topic.Index.Get(seq);
        if (segment is null || !segment.Contains(position))
        {
            segment = _segments.Find(position)
                ?? throw new IndexDamagedException(topic.Id, seq, $"it points at position {position}, outside the log");
        }
        if (!RecordEntry.TryVerify(segment.From(position), topic.Id, seq, timestamp, out var body, out var error))
            throw Corruption.At(_medium.SegmentName(segment.BasePosition), position - segment.BasePosition, $"topic '{topic.Name}' seq {seq}: {error}");
        return new LogEntry(LogId.Format(timestamp, seq), body.ToArray());
    }

    /// <summary>
    /// Runs a read; if it meets a damaged index slot, the topic's index is rebuilt from the log
    /// and the read runs once more. A slot gone because the GC pruned it meanwhile just retries.
    /// </summary>
    private T WithIndexRepair<T>(Topic topic, Func<T> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return read();
            }
            catch (IndexDamagedException e) when (attempt < 2)
            {
                lock (_writeLock)
                {
                    ThrowIfUnusable();
                    if (attempt == 0 && topic.FirstSeq > 0) continue; // maybe pruned while reading: look again first
                    _logger.LogWarning("{Problem}; rebuilding the index of topic {Topic} from the log", e.Message, topic.Name);
                    _gate.Free(topic.Index.DetachAll().Select(c => c.Region));
                    IndexRebuilder.Rebuild(_medium, _segments, [(topic, topic.FirstSeq, topic.NextSeq)], _writer.Position);
                }
            }
            catch (IndexDamagedException e)
            {
                throw new LogEngineException(LogEngineError.Corrupted, $"topic '{topic.Name}': {e.Message}, even after rebuilding its index");
            }
        }
    }
}
