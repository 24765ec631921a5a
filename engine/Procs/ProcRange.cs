using Engine.Ids;

namespace Engine.Procs;

/// <summary>A claimed or acked run of records, by seq and timestamp of both ends; <see cref="Empty"/> for none.</summary>
internal readonly record struct ProcRange(long FirstSeq, long FirstTimestamp, long LastSeq, long LastTimestamp)
{
    public static readonly ProcRange Empty = new(-1, 0, -1, 0);

    public bool IsEmpty => FirstSeq < 0;

    public long Count => IsEmpty ? 0 : LastSeq - FirstSeq + 1;

    /// <summary>One record: its id; several: <c>"first..last"</c>; none: <c>""</c>.</summary>
    public override string ToString() => IsEmpty ? "" : LogId.FormatRange(FirstTimestamp, FirstSeq, LastTimestamp, LastSeq);
}
