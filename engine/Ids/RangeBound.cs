namespace Engine.Ids;

/// <summary>The forms a range bound or proc offset can take.</summary>
internal enum BoundKind
{
    /// <summary>Absent or empty: the open end.</summary>
    Open,
    /// <summary><c>"&lt;ts&gt;"</c>: a millisecond.</summary>
    Timestamp,
    /// <summary><c>"&lt;ts&gt;-&lt;seq&gt;"</c>: an id, compared as (ts, seq).</summary>
    Id,
    /// <summary><c>":&lt;seq&gt;"</c>: a position in the topic.</summary>
    Position,
}

/// <summary>A parsed range bound.</summary>
internal readonly record struct RangeBound(BoundKind Kind, long Timestamp, long Seq)
{
    public static readonly RangeBound Open = new(BoundKind.Open, 0, 0);

    /// <summary>Parses a bound; anything but the four forms is <see cref="LogEngineError.InvalidRangeOffset"/>.</summary>
    public static RangeBound Parse(string? text, string what)
    {
        if (string.IsNullOrEmpty(text)) return Open;
        var span = text.AsSpan();
        if (span[0] == ':' && LogId.TryParseNumber(span[1..], out var position)) return new RangeBound(BoundKind.Position, 0, position);
        if (LogId.TryParseNumber(span, out var timestamp)) return new RangeBound(BoundKind.Timestamp, timestamp, 0);
        if (LogId.TryParse(span, out timestamp, out var seq)) return new RangeBound(BoundKind.Id, timestamp, seq);
        throw new LogEngineException(LogEngineError.InvalidRangeOffset,
            $"{what} '{text}' is not a timestamp, an id '<ts>-<seq>' or a position ':<seq>'");
    }
}
