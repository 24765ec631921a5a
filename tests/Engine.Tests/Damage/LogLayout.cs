using System.Globalization;
using Engine.Log;

namespace Engine.Tests.Damage;

/// <summary>
/// The frames of every segment file of a store, read with the engine's own decoder: where the
/// boundaries are that damage cases aim at (headers, frame headers, entries, seals, the end).
/// </summary>
internal sealed class LogLayout
{
    public List<SegmentLayout> Segments { get; } = [];

    public static LogLayout Read(StoreFiles files)
    {
        var layout = new LogLayout();
        foreach (var name in files.Names.Where(n => n.StartsWith("log/", StringComparison.Ordinal) && n.EndsWith(".seg", StringComparison.Ordinal)))
        {
            var basePosition = long.Parse(Path.GetFileNameWithoutExtension(name), CultureInfo.InvariantCulture);
            var bytes = files.Bytes(name);
            var segment = new SegmentLayout(name, basePosition, bytes.Length);
            long offset = SegmentHeader.Length;
            while (FrameDecoder.TryRead(bytes.AsSpan((int)offset), basePosition + offset, out var header, out _) == FrameStatus.Valid)
            {
                var frame = new FrameLayout(offset, header.FrameLength, header.Kind, []);
                for (var entry = offset + FrameHeader.Length; entry < offset + header.FrameLength;)
                {
                    var entryHeader = EntryHeader.Read(bytes.AsSpan((int)entry));
                    frame.Entries.Add((entry, entryHeader.EntryLength, entryHeader.Type));
                    entry += FrameHeader.Align(entryHeader.EntryLength);
                }
                segment.Frames.Add(frame);
                offset += header.FrameLength;
            }
            layout.Segments.Add(segment);
        }
        return layout;
    }

    /// <summary>The frame (log positions) that holds the entry at log position <paramref name="position"/>.</summary>
    public (long Start, long End) FrameOf(long position)
    {
        var segment = Segments.Single(s => position >= s.BasePosition && position < s.BasePosition + s.Capacity);
        var frame = segment.Frames.Single(f => position >= segment.BasePosition + f.Offset && position < segment.BasePosition + f.End);
        return (segment.BasePosition + frame.Offset, segment.BasePosition + frame.End);
    }
}

/// <summary>One segment file: its name, base, capacity and frames (offsets in the file).</summary>
internal sealed record SegmentLayout(string Name, long BasePosition, long Capacity)
{
    public List<FrameLayout> Frames { get; } = [];

    /// <summary>File offset after the last frame: zeros from here on.</summary>
    public long DataEnd => Frames.Count == 0 ? SegmentHeader.Length : Frames[^1].End;

    public bool IsSealed => Frames.Count > 0 && Frames[^1].Kind == FrameKind.Seal;
}

/// <summary>One frame: file offset, length, kind, and its entries (file offset, length without padding, type).</summary>
internal sealed record FrameLayout(long Offset, int Length, FrameKind Kind, List<(long Offset, int Length, EntryType Type)> Entries)
{
    public long End => Offset + Length;
}
