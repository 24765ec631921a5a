namespace Engine;

/// <summary>
/// One record of a <see cref="RecordScan"/>: its id as numbers, and its body, valid until the
/// scan moves on (copy what must outlive that). Reading <see cref="Id"/> makes a string;
/// <see cref="TryFormatId"/> writes the same text without one.
/// </summary>
public readonly ref struct ScannedRecord
{
    internal ScannedRecord(long timestamp, long seq, ReadOnlySpan<byte> body)
    {
        Timestamp = timestamp;
        Seq = seq;
        Body = body;
    }

    /// <summary>The id's first part: Unix milliseconds of the commit.</summary>
    public long Timestamp { get; }

    /// <summary>The record's position in its topic, from 0: the id's second part.</summary>
    public long Seq { get; }

    /// <summary>The body, valid until the scan's next <see cref="RecordScan.MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The id, <c>"&lt;Timestamp&gt;-&lt;Seq&gt;"</c>, as <see cref="LogEntry.Id"/> gives it.</summary>
    public string Id => RecordIdText.Format(Timestamp, Seq);

    /// <summary>Writes the id into <paramref name="destination"/>; false when it does not fit.</summary>
    public bool TryFormatId(Span<char> destination, out int charsWritten) => RecordIdText.TryFormat(Timestamp, Seq, destination, out charsWritten);
}
