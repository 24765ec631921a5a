using Engine.Storage;

namespace Engine.Log;

/// <summary>
/// Keeps the disk blocks of the log's tail reserved ahead of the writer, off the write lock.
/// Segments are sparse and reserve blocks (<c>fallocate</c>) as the log reaches them, so that a
/// full disk is an error before a write and never a SIGBUS inside one. Reserving inline, under the
/// write lock, stalled commits for as long as the file system took: up to 10 ms per step on this
/// machine's disk under load, the longest commit of W8. So once less than <see cref="Window"/> is
/// left, the next step is reserved by a background task; the writer reserves inline only when it
/// gets there first (the first frames of a segment, a burst faster than the disk), and then it is
/// its call that learns of a full disk, with nothing written.
/// </summary>
internal sealed class TailReservation(IStorageMedium medium, FailureState failures)
{
    /// <summary>How far ahead of the writer blocks are kept reserved, and reserved at a time.</summary>
    public const long Window = 8L * 1024 * 1024;

    private Task _ahead = Task.CompletedTask;

    /// <summary>The reservation in progress in the background, or the last one (tests wait for it).</summary>
    public Task Ahead => _ahead;

    /// <summary>Makes sure <c>[.., end)</c> (a log position) of <paramref name="segment"/> has its blocks before it is written.</summary>
    public void Ensure(Segment segment, long end)
    {
        var needed = end - segment.BasePosition;
        if (needed > segment.ReservedTo) ReserveNow(segment, needed);
        if (segment.ReservedTo - needed < Window && segment.ReservedTo < segment.Capacity && _ahead.IsCompleted)
        {
            var from = segment.ReservedTo;
            var to = Math.Min(segment.Capacity, from + Window);
            _ahead = AheadWork.Start(() => ReserveInBackground(segment, from, to));
        }
    }

    /// <summary>Reserved inline past what is needed: a little, since the background takes the window from there.</summary>
    private const long InlineSlack = 1024 * 1024;

    /// <summary>Reserves inline, from where the reservation ends to at least <paramref name="needed"/> (a file offset).</summary>
    public void ReserveNow(Segment segment, long needed)
    {
        var from = segment.ReservedTo;
        if (needed <= from) return;
        var to = Math.Min(segment.Capacity, needed + InlineSlack);
        medium.Reserve(segment.Region, from, to - from);
        segment.RaiseReservedTo(to);
    }

    private void ReserveInBackground(Segment segment, long from, long to)
    {
        try
        {
            medium.Reserve(segment.Region, from, to - from);
            segment.RaiseReservedTo(to);
        }
        catch (Exception e) when (StorageFault.IsDiskFull(e))
        {
            // Nothing lost: the writer reserves inline when it gets there, and its caller is told DiskFull.
        }
        catch (Exception e) when (StorageFault.IsStorageFailure(e))
        {
            // As for any file's failed write: the disk is not trusted with the log's next writes.
            failures.Fail("reserving disk blocks ahead of the log", e);
        }
    }

    /// <summary>Waits for a reservation in progress: closing must not close a file under it.</summary>
    public void Wait()
    {
        try
        {
            _ahead.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or LogEngineException)
        {
        }
    }
}
