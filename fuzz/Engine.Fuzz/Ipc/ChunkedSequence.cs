using System.Buffers;

namespace Engine.Fuzz.Ipc;

/// <summary>
/// Bytes as a socket hands them over: a <see cref="ReadOnlySequence{T}"/> of several segments, so a
/// length prefix or a header can straddle two of them.
/// </summary>
internal static class ChunkedSequence
{
    public static ReadOnlySequence<byte> Of(byte[] bytes, int chunk)
    {
        if (bytes.Length == 0 || chunk >= bytes.Length) return new ReadOnlySequence<byte>(bytes);
        var first = new Segment(bytes.AsMemory(0, chunk), 0);
        var last = first;
        for (var start = chunk; start < bytes.Length; start += chunk)
            last = last.Append(bytes.AsMemory(start, Math.Min(chunk, bytes.Length - start)));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
