using System.Text;
using Engine.Log;

namespace Engine.Host.Offline;

/// <summary>One frame found in a segment, with where it is.</summary>
internal readonly record struct FrameAt(string File, long FileOffset, long Position, FrameHeader Header, byte[] Bytes);

/// <summary>
/// Walks every segment of a store frame by frame with the engine's own decoder (the checks
/// recovery makes: lengths, positions, each entry's CRC-32C and the frame's), reading each file
/// once, sequentially. It reports a frame that fails them with its file and byte offset and goes
/// on with the next segment: a segment cannot be resynchronised after a bad frame (its length
/// cannot be trusted), and zeros after the last frame are where writing stopped, not damage.
/// </summary>
internal static class LogWalker
{
    /// <summary>What a segment walk found at its end.</summary>
    public sealed record SegmentEnd(string File, long BasePosition, long Capacity, long EndOffset, string? Problem, long ProblemOffset);

    public static IEnumerable<(FrameAt? Frame, SegmentEnd? End)> Walk(StoreFiles files, long? onlySegment = null)
    {
        foreach (var (basePosition, file) in files.Segments)
        {
            if (onlySegment is { } only && only != basePosition) continue;
            var bytes = File.ReadAllBytes(file);
            if (!SegmentHeader.TryRead(bytes, out var header, out var headerError))
            {
                yield return (null, new SegmentEnd(files.Relative(file), basePosition, 0, 0, $"segment header: {headerError}", 0));
                continue;
            }
            if (header.BasePosition != basePosition)
            {
                yield return (null, new SegmentEnd(files.Relative(file), basePosition, header.Capacity, 0, $"segment header says base {header.BasePosition}, its name says {basePosition}", 0));
                continue;
            }
            var data = bytes.AsMemory(0, (int)Math.Min(bytes.Length, header.Capacity));
            var offset = (long)SegmentHeader.Length;
            string? problem = null;
            while (offset < data.Length)
            {
                var status = FrameDecoder.TryRead(data.Span[(int)offset..], basePosition + offset, out var frame, out var error);
                if (status == FrameStatus.Empty) break;
                if (status == FrameStatus.Invalid)
                {
                    problem = error;
                    break;
                }
                yield return (new FrameAt(files.Relative(file), offset, basePosition + offset, frame, data.Slice((int)offset, frame.FrameLength).ToArray()), null);
                if (frame.Kind == FrameKind.Seal) break;
                offset += frame.FrameLength;
            }
            // A segment file is made at its full capacity (sparse), so any other length is damage,
            // even where the frames before it are whole: the bytes after a cut are gone, and bytes
            // past the capacity were never part of the log (a copy tool's, or a careless append).
            var problemOffset = offset;
            if (problem is null && bytes.Length != header.Capacity)
            {
                problemOffset = Math.Min(bytes.Length, header.Capacity);
                problem = bytes.Length < header.Capacity
                    ? $"the file is {bytes.Length} bytes, shorter than its capacity {header.Capacity}: what followed byte {bytes.Length} is gone"
                    : $"the file is {bytes.Length} bytes, longer than its capacity {header.Capacity}: the bytes after it are not part of the log";
            }
            yield return (null, new SegmentEnd(files.Relative(file), basePosition, header.Capacity, offset, problem, problemOffset));
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
