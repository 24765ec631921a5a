using Engine.Log;

namespace Engine.Fuzz.Frames;

/// <summary>
/// One entry to put in a frame, written with the engine's own <see cref="FrameWriter"/>, and what
/// reading it back must give. Generated frames are built from these, so tests can tell a decoded
/// frame from the one that was written.
/// </summary>
internal abstract record EntrySpec
{
    public abstract EntryType Type { get; }

    /// <summary>The entry's length without padding, header included.</summary>
    public abstract int Length { get; }

    public abstract void WriteTo(ref FrameWriter writer);

    /// <summary>True when <paramref name="entry"/> (unpadded, as the decoder yields it) is this entry.</summary>
    public abstract bool Matches(ReadOnlySpan<byte> entry);

    protected bool HeaderMatches(ReadOnlySpan<byte> entry, byte flags) =>
        entry.Length == Length && entry[EntryHeader.TypeOffset] == (byte)Type && entry[EntryHeader.FlagsOffset] == flags;
}

/// <summary>A record of a topic.</summary>
internal sealed record RecordSpec(uint TopicId, long Seq, long Timestamp, byte[] Body, byte Flags) : EntrySpec
{
    public override EntryType Type => EntryType.Record;

    public override int Length => RecordEntry.BodyOffset + Body.Length;

    public override void WriteTo(ref FrameWriter writer) => writer.AddRecord(TopicId, Seq, Timestamp, Body, Flags);

    public override bool Matches(ReadOnlySpan<byte> entry) =>
        HeaderMatches(entry, Flags)
        && RecordEntry.TopicId(entry) == TopicId
        && RecordEntry.Seq(entry) == Seq
        && RecordEntry.Timestamp(entry) == Timestamp
        && entry[RecordEntry.BodyOffset..].SequenceEqual(Body);
}

/// <summary>A topic's first appearance.</summary>
internal sealed record TopicCreatedSpec(uint TopicId, byte[] Name) : EntrySpec
{
    public override EntryType Type => EntryType.TopicCreated;

    public override int Length => TopicCreatedEntry.NameOffset + Name.Length;

    public override void WriteTo(ref FrameWriter writer)
    {
        var entry = writer.BeginEntry(EntryType.TopicCreated, 0, Length);
        TopicCreatedEntry.Write(entry, TopicId, Name);
        writer.EndEntry();
    }

    public override bool Matches(ReadOnlySpan<byte> entry) =>
        HeaderMatches(entry, 0) && TopicCreatedEntry.TopicId(entry) == TopicId && TopicCreatedEntry.Name(entry).SequenceEqual(Name);
}

/// <summary>The GC's note that a topic's records below a seq are gone.</summary>
internal sealed record TopicPrunedSpec(uint TopicId, long FirstKeptSeq) : EntrySpec
{
    public override EntryType Type => EntryType.TopicPruned;

    public override int Length => TopicPrunedEntry.EntryLength;

    public override void WriteTo(ref FrameWriter writer)
    {
        var entry = writer.BeginEntry(EntryType.TopicPruned, 0, Length);
        TopicPrunedEntry.Write(entry, TopicId, FirstKeptSeq);
        writer.EndEntry();
    }

    public override bool Matches(ReadOnlySpan<byte> entry) =>
        HeaderMatches(entry, 0) && TopicPrunedEntry.TopicId(entry) == TopicId && TopicPrunedEntry.FirstKeptSeq(entry) == FirstKeptSeq;
}

/// <summary>A proc or system proc entry, compared as bytes (the proc table parses the payload).</summary>
internal sealed record OpaqueSpec(EntryType Kind, byte Flags, byte[] Payload) : EntrySpec
{
    public override EntryType Type => Kind;

    public override int Length => EntryHeader.Length + Payload.Length;

    public override void WriteTo(ref FrameWriter writer)
    {
        var entry = writer.BeginEntry(Kind, Flags, Length);
        Payload.CopyTo(entry[EntryHeader.Length..]);
        writer.EndEntry();
    }

    public override bool Matches(ReadOnlySpan<byte> entry) =>
        HeaderMatches(entry, Flags) && entry[EntryHeader.Length..].SequenceEqual(Payload);
}
