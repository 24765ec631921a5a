using System.Buffers;

namespace Engine;

/// <summary>
/// A page of a <see cref="RecordScan"/>: bodies copied one after another into one pooled buffer,
/// and each record's id and place in it. Reused for every page of a scan, so a scan allocates
/// nothing per record; returned to the pool when the scan is disposed.
/// </summary>
internal sealed class ScanPage
{
    /// <summary>Records a page takes at most.</summary>
    public const int MaxRecords = 1024;

    /// <summary>Body bytes a page takes before it counts as full (a larger single body grows the buffer for itself).</summary>
    public const int BodyBytes = 256 * 1024;

    private readonly (long Timestamp, long Seq, int Offset, int Length)[] _records = ArrayPool<(long, long, int, int)>.Shared.Rent(MaxRecords);
    private byte[] _bodies = ArrayPool<byte>.Shared.Rent(BodyBytes);
    private int _used;

    public int Count { get; private set; }

    public bool IsFull => Count == MaxRecords || _used >= BodyBytes;

    /// <summary>The last record's seq (the page is not empty).</summary>
    public long LastSeq => _records[Count - 1].Seq;

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    public void Add(long timestamp, long seq, ReadOnlySpan<byte> body)
    {
        if (_used + body.Length > _bodies.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_used + body.Length, 2 * _bodies.Length));
            _bodies.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bodies);
            _bodies = larger;
        }
        body.CopyTo(_bodies.AsSpan(_used));
        _records[Count++] = (timestamp, seq, _used, body.Length);
        _used += body.Length;
    }

    public ScannedRecord this[int index]
    {
        get
        {
            var (timestamp, seq, offset, length) = _records[index];
            return new ScannedRecord(timestamp, seq, _bodies.AsSpan(offset, length));
        }
    }

    public void Return()
    {
        ArrayPool<(long, long, int, int)>.Shared.Return(_records);
        ArrayPool<byte>.Shared.Return(_bodies);
    }
}
