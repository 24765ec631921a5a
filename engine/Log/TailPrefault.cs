namespace Engine.Log;

/// <summary>
/// Keeps the pages just ahead of the log's tail faulted in, off the write lock. The tail is
/// written in place through its mapping (small frames; see <see cref="LogWriter.LargeFrame"/>),
/// and the first write into each page had the kernel make that page under the writer's lock:
/// allocate it, zero it (the blocks are reserved, never written), map it. Measured with
/// <c>perf</c> on the host serving 16 callers' single commits, that was a third of the time of
/// the thread that ran them. So whenever less than half of <see cref="Window"/> is ready ahead of
/// the writer, a background task faults in the next window (of what is reserved: a page past the
/// reservation is never touched). Only for frames written in place: the writer does not call it
/// for the frames it appends with <c>pwrite</c>, whose pages it never maps in. Writer only, except
/// the background task itself.
/// </summary>
internal sealed class TailPrefault
{
    /// <summary>How far ahead of the writer pages are made ready, and made ready at a time.</summary>
    public const long Window = 1024 * 1024;

    private Task _ahead = Task.CompletedTask;
    private Segment? _segment;

    /// <summary>Where, in <see cref="_segment"/>, the pages made ready (or being made ready) end.</summary>
    private long _readyTo;

    /// <summary>The prefault in progress in the background, or the last one (tests wait for it).</summary>
    public Task Ahead => _ahead;

    /// <summary>The writer is about to write at <paramref name="position"/> (a log position) of <paramref name="segment"/>.</summary>
    public void Ensure(Segment segment, long position)
    {
        var at = position - segment.BasePosition;
        if (!ReferenceEquals(segment, _segment))
        {
            _segment = segment;
            _readyTo = at;
        }
        if (_readyTo - at >= Window / 2 || !_ahead.IsCompleted) return;
        var from = Math.Max(_readyTo, at);
        var to = Math.Min(segment.ReservedTo, from + Window);
        if (to <= from) return;
        _readyTo = to;
        _ahead = Task.Run(() => segment.Region.Prefault(from, to - from));
    }

    /// <summary>Waits for a prefault in progress: closing must not unmap a segment under it.</summary>
    public void Wait()
    {
        try
        {
            _ahead.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }
}
