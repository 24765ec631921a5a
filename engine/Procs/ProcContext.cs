using Engine.Ids;
using Engine.Topics;

namespace Engine.Procs;

/// <summary>What proc operations look at while they decide, under the store's write lock.</summary>
internal sealed class ProcContext(Store store)
{
    public Store Store => store;

    public ProcTable Procs => store.State.Procs;

    public long NowMs() => store.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The last processor failure each system proc's proc reported with a reclaim, for the dead
    /// letters of a later reclaim (an automatic one has no error of its own). Memory only: after a
    /// restart a dead letter may say null. Under the write lock, like everything here.
    /// </summary>
    private readonly Dictionary<string, string> _lastErrors = new(StringComparer.Ordinal);

    public string? LastError(string procName) => _lastErrors.GetValueOrDefault(procName);

    public void RememberError(string procName, string error) => _lastErrors[procName] = error;

    public void ForgetError(string procName) => _lastErrors.Remove(procName);

    /// <summary>The topic if it has ever had a record.</summary>
    public Topic? TopicOf(string name) => store.State.Topics.TryGet(name, out var topic) && topic.NextSeq > 0 ? topic : null;

    /// <summary>The next seq <paramref name="proc"/> would claim: after its last ack, else from its offset.</summary>
    public long Cursor(ProcRecord proc, Topic topic)
    {
        var next = proc.LastAcked.IsEmpty ? Start(proc, topic) : proc.LastAcked.LastSeq + 1;
        return Math.Max(next, topic.FirstSeq);
    }

    /// <summary>
    /// Where a proc begins. <c>"&gt;"</c> and <c>"$&gt;"</c> were fixed when it was created; a bound is
    /// resolved against the topic as it is now, since its records may not have existed then:
    /// after the position or id it names, or at the first record of a bare timestamp's ms.
    /// </summary>
    private static long Start(ProcRecord proc, Topic topic)
    {
        if (proc.StartSeq >= 0) return proc.StartSeq;
        var bound = RangeBound.Parse(proc.Offset, "offset");
        var (first, next) = (topic.FirstSeq, topic.NextSeq);
        return bound.Kind switch
        {
            BoundKind.Position => bound.Seq + 1,
            BoundKind.Timestamp => topic.Index.FirstAtOrAfter(first, next, bound.Timestamp, strictly: false),
            _ => topic.Index.FirstIdAtOrAfter(first, next, bound.Timestamp, bound.Seq, strictly: true),
        };
    }

    /// <summary>The range of <paramref name="count"/> records from <paramref name="first"/>, with their timestamps.</summary>
    public static ProcRange RangeOf(Topic topic, long first, long count) =>
        new(first, topic.Index.TimestampOf(first), first + count - 1, topic.Index.TimestampOf(first + count - 1));
}
