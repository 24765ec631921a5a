namespace Engine;

/// <summary>
/// Records of one topic read in order, in-process, without an object per record: for
/// <c>foreach (var record in engine.Scan(topic))</c>. Each record is checked as a range read
/// checks it. Records are read a page at a time (up to <c>1,024</c> records or 256 KiB of bodies),
/// and a record's <see cref="ScannedRecord.Body"/> is valid until the next one is asked for.
/// The range is fixed when the scan starts: records committed after that are not in it, and
/// records the GC prunes while it runs are skipped. Dispose it (<c>foreach</c> does) to return
/// its buffers to the pool.
/// </summary>
public ref struct RecordScan
{
    private readonly Store? _store;
    private readonly Topics.Topic? _topic;
    private readonly long _high;
    private long _next;
    private ScanPage? _page;
    private int _index;

    internal RecordScan(Store store, Topics.Topic topic, long low, long high)
    {
        _store = store;
        _topic = topic;
        _next = low;
        _high = high;
        _index = -1;
    }

    /// <summary>The scan itself: it is its own enumerator.</summary>
    public readonly RecordScan GetEnumerator() => this;

    /// <summary>The record at hand.</summary>
    public readonly ScannedRecord Current => _page![_index];

    /// <summary>Moves to the next record, reading the next page when this one is done; false at the end of the range.</summary>
    public bool MoveNext()
    {
        if (_page is not null && _index + 1 < _page.Count)
        {
            _index++;
            return true;
        }
        if (_store is null || _next > _high) return false;
        _page ??= new ScanPage();
        ReadPage(_store, _topic!, _next, _high, _page);
        if (_page.Count == 0)
        {
            _next = _high + 1;
            return false;
        }
        _next = _page.LastSeq + 1;
        _index = 0;
        return true;
    }

    /// <summary>
    /// Reads the next page. A method of its own, not inline in <see cref="MoveNext"/>: the lambda's
    /// captured locals would otherwise be allocated on every call, 56 bytes a record.
    /// </summary>
    private static void ReadPage(Store store, Topics.Topic topic, long from, long to, ScanPage page) =>
        Guard.Run(() =>
        {
            store.ReadPage(topic, from, to, page);
            return true;
        }, "scanning a topic");

    /// <summary>Returns the scan's buffers; the scan then yields nothing more.</summary>
    public void Dispose()
    {
        _page?.Return();
        _page = null;
        _next = _high + 1;
    }
}
