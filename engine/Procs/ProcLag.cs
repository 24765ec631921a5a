using Engine.Index;

namespace Engine.Procs;

/// <summary>
/// How far behind its topic a proc is, from memory and the topic's index: the proc's cursor (after
/// its last ack, or its offset's start, never below the first kept record) against the topic's
/// next seq, and the index slot of the cursor for its age. O(1) per proc (a bound offset not yet
/// acked past costs one binary search of the index), never a scan of the log.
/// </summary>
internal static class ProcLag
{
    /// <summary>Runs under the store's write lock (procs change only under it).</summary>
    public static ProcInfo Of(ProcContext context, ProcRecord proc)
    {
        var state = proc.ToState();
        var topic = context.TopicOf(proc.Topic);
        if (topic is null) return new ProcInfo(state, 0, null);
        using var gate = context.Store.EnterReadGate();
        try
        {
            var cursor = context.Cursor(proc, topic);
            var lag = Math.Max(0, topic.NextSeq - cursor);
            if (lag == 0) return new ProcInfo(state, 0, null);
            var age = Math.Max(0, context.NowMs() - topic.Index.TimestampOf(cursor));
            return new ProcInfo(state, lag, TimeSpan.FromMilliseconds(age));
        }
        catch (IndexDamagedException e)
        {
            throw new LogEngineException(LogEngineError.Corrupted, $"the lag of proc '{proc.Name}' cannot be read: {e.Message}", e);
        }
    }
}
