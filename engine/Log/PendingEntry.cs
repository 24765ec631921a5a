namespace Engine.Log;

/// <summary>
/// An entry decided but not yet written: the whole entry with a blank header, which
/// <see cref="FrameWriter.AddPending"/> fills in as it copies it into the frame.
/// </summary>
internal readonly record struct PendingEntry(EntryType Type, byte Flags, byte[] Bytes)
{
    public int PaddedLength => FrameHeader.Align(Bytes.Length);
}
