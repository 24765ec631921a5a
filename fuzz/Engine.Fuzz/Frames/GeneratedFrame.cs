using Engine.Log;

namespace Engine.Fuzz.Frames;

/// <summary>
/// A frame written by <see cref="FrameWriter"/>: its exact bytes, where it claims to sit, and the
/// entries it holds with their offsets.
/// </summary>
internal sealed class GeneratedFrame
{
    public GeneratedFrame(byte[] bytes, long position, long syncedUpTo, FrameKind kind, IReadOnlyList<EntrySpec> entries, IReadOnlyList<int> entryOffsets)
    {
        Bytes = bytes;
        Position = position;
        SyncedUpTo = syncedUpTo;
        Kind = kind;
        Entries = entries;
        EntryOffsets = entryOffsets;
    }

    /// <summary>Exactly the frame: its length is the header's length field.</summary>
    public byte[] Bytes { get; }

    public long Position { get; }

    public long SyncedUpTo { get; }

    public FrameKind Kind { get; }

    public IReadOnlyList<EntrySpec> Entries { get; }

    /// <summary>Where each entry starts in <see cref="Bytes"/>.</summary>
    public IReadOnlyList<int> EntryOffsets { get; }

    /// <summary>Writes a batch frame holding <paramref name="entries"/> in order.</summary>
    public static GeneratedFrame Batch(long position, long syncedUpTo, IReadOnlyList<EntrySpec> entries)
    {
        var length = FrameHeader.Length + entries.Sum(e => FrameHeader.Align(e.Length));
        var bytes = new byte[length];
        var offsets = new List<int>(entries.Count);
        var writer = new FrameWriter(bytes, position, syncedUpTo);
        foreach (var entry in entries)
        {
            offsets.Add(writer.Written);
            entry.WriteTo(ref writer);
        }
        var written = writer.Finish();
        if (written != length) throw new InvalidOperationException($"the writer wrote {written} bytes of a {length}-byte frame");
        return new GeneratedFrame(bytes, position, syncedUpTo, FrameKind.Batch, entries, offsets);
    }

    /// <summary>Writes the 32-byte frame that closes a segment.</summary>
    public static GeneratedFrame Seal(long position, long syncedUpTo)
    {
        var bytes = new byte[FrameHeader.Length];
        FrameWriter.WriteSeal(bytes, position, syncedUpTo);
        return new GeneratedFrame(bytes, position, syncedUpTo, FrameKind.Seal, [], []);
    }
}
