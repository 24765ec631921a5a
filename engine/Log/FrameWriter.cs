using System.Buffers.Binary;
using System.Numerics;
using Engine.Storage;

namespace Engine.Log;

/// <summary>
/// Writes one frame into the log writer's buffer, from which it is appended whole: entries are
/// added one after another, each checksummed as it is finished, and <see cref="Finish"/> writes the
/// header with the frame checksum. The caller sized the destination with <see cref="FrameHeader.Align(int)"/>d
/// entry lengths, so running out of room is a bug, not an input error.
/// </summary>
internal ref struct FrameWriter
{
    private readonly Span<byte> _frame;
    private readonly long _position;
    private readonly long _syncedUpTo;
    private int _offset;
    private int _entryStart;
    private int _entryCount;
    private uint _crcState;

    public FrameWriter(Span<byte> frame, long position, long syncedUpTo)
    {
        _frame = frame;
        _position = position;
        _syncedUpTo = syncedUpTo;
        _offset = FrameHeader.Length;
        _entryStart = -1;
        _crcState = ~0u;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _offset;

    /// <summary>
    /// Starts an entry of <paramref name="entryLength"/> bytes (header included) and returns the
    /// whole entry's span; the caller fills bytes from <see cref="EntryHeader.Length"/> on.
    /// </summary>
    public Span<byte> BeginEntry(EntryType type, byte flags, int entryLength)
    {
        var entry = _frame.Slice(_offset, entryLength);
        EntryHeader.WriteFields(entry, entryLength, type, flags);
        _entryStart = _offset;
        return entry;
    }

    /// <summary>Checksums the entry begun last and pads it to 8 bytes.</summary>
    public void EndEntry()
    {
        var entryLength = BinaryPrimitives.ReadInt32LittleEndian(_frame[(_entryStart + EntryHeader.LengthOffset)..]);
        var entry = _frame.Slice(_entryStart, entryLength);
        var crc = Checksum.Compute(entry[EntryHeader.LengthOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, crc);
        var padded = FrameHeader.Align(entryLength);
        _frame.Slice(_entryStart + entryLength, padded - entryLength).Clear();
        _crcState = BitOperations.Crc32C(_crcState, crc);
        _offset = _entryStart + padded;
        _entryCount++;
    }

    /// <summary>Adds a whole record entry.</summary>
    public void AddRecord(uint topicId, long seq, long timestamp, ReadOnlySpan<byte> body, byte flags = 0)
    {
        var entry = BeginEntry(EntryType.Record, flags, RecordEntry.BodyOffset + body.Length);
        RecordEntry.WriteFields(entry, topicId, seq, timestamp);
        body.CopyTo(entry[RecordEntry.BodyOffset..]);
        EndEntry();
    }

    /// <summary>Adds an entry built ahead of time (proc entries), filling in its header.</summary>
    public void AddPending(in PendingEntry pending)
    {
        var entry = BeginEntry(pending.Type, pending.Flags, pending.Bytes.Length);
        pending.Bytes.AsSpan(EntryHeader.Length).CopyTo(entry[EntryHeader.Length..]);
        EndEntry();
    }

    /// <summary>Writes the header; returns the frame's length.</summary>
    public int Finish(FrameKind kind = FrameKind.Batch)
    {
        FrameHeader.WriteFields(_frame, _offset, _position, _syncedUpTo, _entryCount, kind);
        BinaryPrimitives.WriteUInt32LittleEndian(_frame, FrameChecksum(_crcState, _frame));
        return _offset;
    }

    /// <summary>
    /// Completes the frame checksum: the running CRC-32C over the entries' crcs, continued over
    /// header bytes 4..32. Shared with the decoder so both compute exactly the same thing.
    /// </summary>
    public static uint FrameChecksum(uint entryCrcState, ReadOnlySpan<byte> header)
    {
        var state = entryCrcState;
        state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(header[4..]));
        state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(header[8..]));
        state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(header[16..]));
        state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(header[24..]));
        return ~state;
    }

    /// <summary>The 32-byte frame that closes a full segment.</summary>
    public static void WriteSeal(Span<byte> destination, long position, long syncedUpTo)
    {
        var writer = new FrameWriter(destination[..FrameHeader.Length], position, syncedUpTo);
        writer.Finish(FrameKind.Seal);
    }
}
