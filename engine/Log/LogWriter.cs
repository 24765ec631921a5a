using Engine.Storage;

namespace Engine.Log;

/// <summary>
/// The tail of the log: where the next frame goes, and rolling to a new segment when it does not
/// fit. A full segment ends with a seal frame, so recovery can tell "the log goes on in the next
/// file" from "the rest of this file was lost". Used only under the store's write lock.
/// <para>
/// How a frame reaches the file depends on its size. A small frame (under
/// <see cref="LargeFrame"/>) is built in place, through the segment's shared mapping: a memcpy,
/// where a <c>pwrite</c> would cost a system call (measured: one caller's single-record commits
/// ran at a third of the rate with <c>pwrite</c>). A large frame is built in the writer's own
/// buffer and appended with one <c>pwrite</c> (<see cref="Append"/>): written through the mapping,
/// every page it touched would have to be write-protected again at the next fsync (page_mkclean,
/// a TLB shootdown on every core) and faulted in again at the next write, which held batch commits
/// to a fraction of the disk's speed. Both land in the same page cache, which readers see through
/// the mapping.
/// </para>
/// </summary>
internal sealed class LogWriter(IStorageMedium medium, SegmentCatalog segments, FailureState failures, long segmentSize, TimeProvider clock)
{
    /// <summary>Room kept at the end of every segment for its seal.</summary>
    private const int SealReserve = FrameHeader.Length;

    /// <summary>
    /// Room before the seal that only a frame freeing space (the GC's prunes) may use: on a full
    /// disk the next segment cannot be made, and without this room the GC could not write the
    /// prunes that let it delete segments, so the store could not free itself. 4 KiB holds the
    /// prunes of about a hundred topics; a larger prune frame rolls as any frame does.
    /// </summary>
    public const int KeptForSpaceFreeing = 4096;

    /// <summary>A new segment's first reservation, made with it in the background.</summary>
    private const long FirstReservation = 4L * 1024 * 1024;

    private readonly TailReservation _reservation = new(medium, failures);

    /// <summary>
    /// The writer's buffer is kept at this size between commits: a larger frame grows it for its
    /// own commit only, so one huge batch does not pin its size for the life of the store.
    /// </summary>
    private const int KeptBufferSize = 1 << 20;

    /// <summary>
    /// Frames of at least this many bytes are appended with <c>pwrite</c>, smaller ones written in
    /// place. A page: a frame smaller than that dirties at most two pages through the mapping,
    /// mostly the one the previous frame dirtied already.
    /// </summary>
    public const int LargeFrame = 4096;

    private Segment _tail = null!;
    private byte[] _buffer = new byte[64 * 1024];
    private int _reserved;
    private bool _inPlace;

    /// <summary>
    /// The next segment, created in the background right after a roll: creating one fsyncs the
    /// file and its directory, which would otherwise stall commits under the write lock at every
    /// roll. A spare left unused by a crash has no frames and is deleted when the store opens.
    /// </summary>
    private Task<Segment>? _spare;

    /// <summary>Where the next frame goes.</summary>
    public long Position { get; private set; }

    public Segment Tail => _tail;

    /// <summary>The tail's background reservation, in progress or last done.</summary>
    public Task ReservationAhead => _reservation.Ahead;

    /// <summary>Continues the log at <paramref name="position"/>, inside the last segment.</summary>
    public void Resume(Segment tail, long position)
    {
        _tail = tail;
        tail.Region.Advise(NativeFile.Access.Random);
        PrepareSpare();
        Position = position;
        // What a previous run reserved is not known; reserving allocated blocks again is free.
        _tail.LimitReservedTo(position - tail.BasePosition);
    }

    /// <summary>Starts an empty log.</summary>
    public void StartEmpty()
    {
        var first = CreateSegment(0, segmentSize);
        segments.Append(first);
        Resume(first, SegmentHeader.Length);
    }

    /// <summary>
    /// Makes room for a frame of <paramref name="frameLength"/> bytes at <see cref="Position"/>,
    /// sealing the tail segment and starting a new one if it does not fit. Everything that can
    /// fail (making the next segment, reserving disk blocks) happens before anything is written,
    /// so a full disk leaves the log exactly as it was and the call can simply be retried.
    /// </summary>
    public Span<byte> Reserve(int frameLength, long syncedUpTo, bool freesSpace = false)
    {
        var kept = SealReserve + (freesSpace ? 0 : KeptForSpaceFreeing);
        if (Position + frameLength + kept > _tail.EndPosition)
        {
            var capacity = Math.Max(segmentSize, FrameHeader.Align((long)SegmentHeader.Length + frameLength + SealReserve + KeptForSpaceFreeing));
            var next = TakeSpare(_tail.EndPosition, capacity) ?? CreateSegment(_tail.EndPosition, capacity);
            try
            {
                // Before the seal: a full disk must leave the tail as it was (unsealed, with the
                // room kept for the GC), not a sealed tail and a new segment with no blocks.
                _reservation.ReserveNow(next, next.DataStart + frameLength + SealReserve + KeptForSpaceFreeing - next.BasePosition);
            }
            catch
            {
                DiscardSpare(next);
                throw;
            }
            Span<byte> seal = stackalloc byte[FrameHeader.Length];
            FrameWriter.WriteSeal(seal, Position, syncedUpTo);
            _tail.Write(Position, seal);
            var sealedSegment = _tail;
            _tail = next;
            segments.Append(_tail);
            _tail.Region.Advise(NativeFile.Access.Random);
            PrepareSpare();
            sealedSegment.Region.Advise(NativeFile.Access.Normal); // read from now on: read-ahead helps scans
            Position = _tail.DataStart;
        }
        EnsureReserved(Position + frameLength + SealReserve + KeptForSpaceFreeing); // the kept room has its blocks too
        _reserved = frameLength;
        _inPlace = frameLength < LargeFrame || !_tail.Region.AppendsLargeFramesByWrite;
        if (_inPlace) return _tail.Region.Slice(Position - _tail.BasePosition, frameLength); // zeros: nothing was written past the end
        if (_buffer.Length < frameLength) _buffer = new byte[Math.Max(frameLength, Math.Min(_buffer.Length * 2, FrameHeader.MaxLength))];
        var frame = _buffer.AsSpan(0, frameLength);
        frame.Clear(); // whatever a frame's writer skips reads as zeros, as it did in a fresh segment
        return frame;
    }

    /// <summary>
    /// Appends a frame built in the writer's buffer at <see cref="Position"/> (one built in place
    /// is there already). Readers may look at it from here on, so the store publishes the frame to
    /// its index only after this. A failure (EIO) leaves at most part of a frame that fails its
    /// checksum: a torn tail to recovery, never a record.
    /// </summary>
    public void Append()
    {
        if (_inPlace) return;
        _tail.Write(Position, _buffer.AsSpan(0, _reserved));
        if (_buffer.Length > KeptBufferSize) _buffer = new byte[KeptBufferSize];
    }

    /// <summary>
    /// Unmakes a frame appended but not applied (a bug between the two): its header is zeroed in
    /// the file, so recovery sees the end of the log there. Best effort: the store is poisoned
    /// anyway, and a failing disk may refuse this write as well.
    /// </summary>
    public void Unwrite()
    {
        try
        {
            if (_inPlace) _tail.Region.Slice(Position - _tail.BasePosition, FrameHeader.Length).Clear();
            else _tail.Write(Position, stackalloc byte[FrameHeader.Length]);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Reserves the tail's disk blocks up to <paramref name="end"/> (a log position), and more ahead in the background.</summary>
    private void EnsureReserved(long end) => _reservation.Ensure(_tail, end);

    /// <summary>Moves past a frame written into the reserved space.</summary>
    public void Advance(int frameLength) => Position += frameLength;

    private Segment CreateSegment(long basePosition, long capacity, long? createdAtMs = null)
    {
        Span<byte> header = stackalloc byte[SegmentHeader.Length];
        new SegmentHeader(basePosition, capacity, createdAtMs ?? clock.GetUtcNow().ToUnixTimeMilliseconds(), SegmentHeader.CurrentVersion).Write(header);
        return new Segment(basePosition, capacity, medium.CreateSegment(basePosition, capacity, header));
    }

    /// <summary>
    /// Creates the next segment in the background, with its first reservation step. A spare that
    /// cannot be made (a full disk) leaves nothing behind: the roll makes one inline instead and
    /// reports the failure to its caller.
    /// </summary>
    private void PrepareSpare()
    {
        var basePosition = _tail.EndPosition;
        var requestedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(); // taken here, under the lock, not whenever the task runs
        _spare = AheadWork.Start(() =>
        {
            try
            {
                var segment = CreateSegment(basePosition, segmentSize, requestedAtMs);
                try
                {
                    var first = Math.Min(segment.Capacity, FirstReservation);
                    medium.Reserve(segment.Region, 0, first);
                    segment.RaiseReservedTo(first);
                    return segment;
                }
                catch
                {
                    DiscardSpare(segment);
                    throw;
                }
            }
            catch (Exception e) when (StorageFault.IsStorageFailure(e) && !StorageFault.IsDiskFull(e))
            {
                // Not left for the next roll to find, which may never come: a failed write or fsync
                // of any file poisons the store now (see FailureState).
                failures.Fail("making the next segment", e);
                throw;
            }
        });
    }

    /// <summary>The spare if it is ready, where it should be and big enough; otherwise it is dropped.</summary>
    private Segment? TakeSpare(long basePosition, long capacity)
    {
        var spare = Interlocked.Exchange(ref _spare, null);
        if (spare is null) return null;
        try
        {
            var segment = spare.GetAwaiter().GetResult(); // nearly always finished long before
            if (segment.BasePosition == basePosition && segment.Capacity >= capacity) return segment;
            DiscardSpare(segment);
        }
        catch (Exception e) when (StorageFault.IsDiskFull(e))
        {
            // A spare the full disk refused is simply tried again, inline, where its caller can be
            // told DiskFull. Any other failure (EIO, a failed fsync) goes to the caller as it is:
            // a disk that fails one file's writes is not trusted with the log's.
        }
        return null;
    }

    private void DiscardSpare(Segment segment)
    {
        segment.Dispose();
        medium.DeleteSegment(segment.BasePosition);
    }

    /// <summary>Deletes an unused spare (closing): the store opens without it. Waits for a reservation ahead first.</summary>
    public void DropSpare()
    {
        _reservation.Wait();
        if (Interlocked.Exchange(ref _spare, null) is not { } spare) return;
        try
        {
            DiscardSpare(spare.GetAwaiter().GetResult());
        }
        catch (IOException)
        {
        }
    }
}
