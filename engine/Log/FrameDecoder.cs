using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Engine.Storage;

namespace Engine.Log;

/// <summary>What is found at a position where a frame may start.</summary>
internal enum FrameStatus
{
    /// <summary>A complete frame whose every check passed.</summary>
    Valid,
    /// <summary>Zeros: nothing was ever written here.</summary>
    Empty,
    /// <summary>Bytes that are not a complete, intact frame.</summary>
    Invalid,
}

/// <summary>
/// Decides whether the bytes at a position are a whole, intact frame. Every length read from the
/// bytes is bounded before it is used, so any input, however damaged, gives a verdict and never
/// reads outside <c>data</c>; the fuzz target holds it to that.
/// </summary>
internal static class FrameDecoder
{
    /// <summary>
    /// Checks the frame at the start of <paramref name="data"/> (which runs to the end of the
    /// segment's capacity) that should sit at log position <paramref name="expectedPosition"/>.
    /// </summary>
    // Optimised from its first call, as is the loop over entries: recovery at open and engine
    // verify run through every frame of a log once, in a process too young for tiered
    // compilation to have replaced its first, unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, long expectedPosition, out FrameHeader header, out string error)
    {
        header = default;
        if (data.Length < FrameHeader.Length)
        {
            error = "fewer bytes left than a frame header";
            return data.IndexOfAnyExcept((byte)0) < 0 ? FrameStatus.Empty : FrameStatus.Invalid;
        }
        var headerBytes = data[..FrameHeader.Length];
        if (headerBytes.IndexOfAnyExcept((byte)0) < 0)
        {
            error = "no frame here";
            return FrameStatus.Empty;
        }
        header = FrameHeader.Read(headerBytes);
        if (header.FrameLength < FrameHeader.Length || header.FrameLength % 8 != 0 || header.FrameLength > FrameHeader.MaxLength)
        {
            error = $"impossible frame length {header.FrameLength}";
            return FrameStatus.Invalid;
        }
        if (header.FrameLength > data.Length)
        {
            error = $"frame of {header.FrameLength} bytes runs past the end of the segment";
            return FrameStatus.Invalid;
        }
        if (header.Position != expectedPosition)
        {
            error = $"frame says it is at position {header.Position}";
            return FrameStatus.Invalid;
        }
        if (header.SyncedUpTo < 0 || header.SyncedUpTo > header.Position)
        {
            error = $"impossible synced position {header.SyncedUpTo}";
            return FrameStatus.Invalid;
        }
        if (headerBytes[FrameHeader.FlagsOffset] != 0 || headerBytes[30] != 0 || headerBytes[31] != 0)
        {
            error = "reserved header bytes are not zero";
            return FrameStatus.Invalid;
        }
        var frame = data[..header.FrameLength];
        switch (header.Kind)
        {
            case FrameKind.Seal when header.EntryCount == 0 && header.FrameLength == FrameHeader.Length:
                break;
            case FrameKind.Batch when header.EntryCount > 0 && header.EntryCount <= (header.FrameLength - FrameHeader.Length) / 16:
                break;
            default:
                error = $"frame kind {(int)header.Kind} with {header.EntryCount} entries in {header.FrameLength} bytes";
                return FrameStatus.Invalid;
        }
        if (!TryCheckEntries(frame, header.EntryCount, out var crcState, out error)) return FrameStatus.Invalid;
        if (FrameWriter.FrameChecksum(crcState, headerBytes) != header.Crc)
        {
            error = "frame checksum mismatch";
            return FrameStatus.Invalid;
        }
        error = "";
        return FrameStatus.Valid;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryCheckEntries(ReadOnlySpan<byte> frame, int entryCount, out uint crcState, out string error)
    {
        crcState = ~0u;
        var offset = FrameHeader.Length;
        for (var i = 0; i < entryCount; i++)
        {
            var remaining = frame.Length - offset;
            if (remaining < EntryHeader.Length) { error = $"entry {i} starts past the end of the frame"; return false; }
            var entryHeader = EntryHeader.Read(frame[offset..]);
            if (entryHeader.EntryLength < EntryHeader.Length || FrameHeader.Align((long)entryHeader.EntryLength) > remaining)
            {
                error = $"entry {i} has impossible length {entryHeader.EntryLength}";
                return false;
            }
            var entry = frame.Slice(offset, entryHeader.EntryLength);
            if (Checksum.Compute(entry[EntryHeader.LengthOffset..]) != entryHeader.Crc) { error = $"entry {i} checksum mismatch"; return false; }
            if (!IsWellFormed(entryHeader.Type, entry)) { error = $"entry {i} is a malformed {entryHeader.Type}"; return false; }
            var padded = FrameHeader.Align(entryHeader.EntryLength);
            if (frame.Slice(offset + entryHeader.EntryLength, padded - entryHeader.EntryLength).IndexOfAnyExcept((byte)0) >= 0)
            {
                error = $"entry {i} padding is not zero";
                return false;
            }
            crcState = BitOperations.Crc32C(crcState, entryHeader.Crc);
            offset += padded;
        }
        if (offset != frame.Length) { error = $"entries end at {offset} of a {frame.Length}-byte frame"; return false; }
        error = "";
        return true;
    }

    /// <summary>Structural checks per type, so that applying a valid frame never reads out of bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once an entry: see TryRead
    private static bool IsWellFormed(EntryType type, ReadOnlySpan<byte> entry) => type switch
    {
        EntryType.Record => entry.Length >= RecordEntry.BodyOffset && RecordEntry.Seq(entry) >= 0
            && RecordEntry.Timestamp(entry) is >= 0 and <= Index.IndexEntry.MaxTimestamp,
        EntryType.TopicCreated => TopicCreatedEntry.IsWellFormed(entry),
        EntryType.TopicPruned => entry.Length == TopicPrunedEntry.EntryLength && TopicPrunedEntry.FirstKeptSeq(entry) >= 0,
        EntryType.ProcCreated or EntryType.ProcClaimed or EntryType.ProcAcked or EntryType.ProcReclaimed
            or EntryType.ProcStatusChanged or EntryType.ProcDestroyed => StateEntryForms.IsWellFormedProcEntry(type, entry),
        EntryType.SystemProcRegistered or EntryType.SystemProcRemoved => StateEntryForms.IsWellFormedSystemProcEntry(type, entry),
        _ => false,
    };

    /// <summary>Walks the entries of a frame already found <see cref="FrameStatus.Valid"/>.</summary>
    public static EntryEnumerator Entries(ReadOnlySpan<byte> validFrame) => new(validFrame);

    /// <summary>Yields each entry of a valid frame with its offset in the frame.</summary>
    public ref struct EntryEnumerator
    {
        private readonly ReadOnlySpan<byte> _frame;
        private int _next;

        public EntryEnumerator(ReadOnlySpan<byte> frame)
        {
            _frame = frame;
            _next = FrameHeader.Length;
            Current = default;
            CurrentOffset = 0;
        }

        /// <summary>The current entry, without its padding.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>The current entry's offset in the frame.</summary>
        public int CurrentOffset { get; private set; }

        public readonly EntryEnumerator GetEnumerator() => this;

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the walks over every entry of a log
        public bool MoveNext()
        {
            if (_next >= _frame.Length) return false;
            var length = BinaryPrimitives.ReadInt32LittleEndian(_frame[(_next + EntryHeader.LengthOffset)..]);
            CurrentOffset = _next;
            Current = _frame.Slice(_next, length);
            _next += FrameHeader.Align(length);
            return true;
        }
    }
}
