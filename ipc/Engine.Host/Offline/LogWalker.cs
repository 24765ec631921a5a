using System.Text;
using Engine.Log;

namespace Engine.Host.Offline;

/// <summary>One frame found in a segment, with where it is.</summary>
internal readonly record struct FrameAt(string File, long FileOffset, long Position, FrameHeader Header, byte[] Bytes);

/// <summary>
/// Walks every segment of a store frame by frame (see <see cref="SegmentReader"/>), one segment
/// after another, for tools that look at each frame in turn (<c>engine dump</c>): each frame is
/// copied out, as it outlives the step that found it. It reports a frame that fails with its file
/// and byte offset and goes on with the next segment.
/// </summary>
internal static class LogWalker
{
    public static IEnumerable<(FrameAt? Frame, SegmentEnd? End)> Walk(StoreFiles files, long? onlySegment = null)
    {
        foreach (var (basePosition, file) in files.Segments)
        {
            if (onlySegment is { } only && only != basePosition) continue;
            using var segment = SegmentReader.Open(files.Relative(file), file, basePosition);
            while (segment.MoveNext())
                yield return (new FrameAt(segment.File, segment.CurrentOffset, basePosition + segment.CurrentOffset, segment.Current, segment.CurrentBytes.ToArray()), null);
            yield return (null, segment.End());
        }
    }

    /// <summary>Each entry of a valid frame: type, flags, offset in the frame, bytes.</summary>
    public static List<(EntryType Type, byte Flags, int Offset, byte[] Entry)> Entries(byte[] frame)
    {
        var list = new List<(EntryType, byte, int, byte[])>();
        var entries = FrameDecoder.Entries(frame);
        while (entries.MoveNext())
        {
            var header = EntryHeader.Read(entries.Current);
            list.Add((header.Type, header.Flags, entries.CurrentOffset, entries.Current.ToArray()));
        }
        return list;
    }

    /// <summary>A topic name from a TopicCreated entry.</summary>
    public static (uint Id, string Name) TopicCreated(ReadOnlySpan<byte> entry) =>
        (TopicCreatedEntry.TopicId(entry), Encoding.UTF8.GetString(TopicCreatedEntry.Name(entry)));
}
