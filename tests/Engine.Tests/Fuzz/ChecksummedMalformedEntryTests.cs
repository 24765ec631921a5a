using System.Buffers.Binary;
using Engine.Fuzz.Oracles;
using Engine.Log;
using Engine.Tests.Support;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Frames whose checksums all hold but whose content breaks a rule the writer never breaks: what
/// a writer bug, a crafted file, or a 1-in-2^32 checksum collision would leave. The decoder's
/// promise is that a valid frame can be applied; opening must still end in
/// <see cref="LogEngineError.Corrupted"/>, never in some other exception.
/// </summary>
public sealed class ChecksummedMalformedEntryTests
{
    // ENGINE BUG (found while building the fuzz harness; kept failing on purpose, engine code is
    // not changed on this branch): FrameDecoder.IsWellFormed checks a TopicCreated entry's name
    // length but not that the name is UTF-8, so the frame is Valid; LogState.ApplyTopicCreated
    // then decodes it with Names.StrictUtf8, and the DecoderFallbackException escapes
    // LogEngine.Open, because StoreRecovery.Replay turns only LogInconsistencyException into
    // Corrupted. Fix in either place: reject such names in IsWellFormed, or map the decoding
    // failure to LogInconsistencyException.
    [Fact]
    public async Task A_checksummed_frame_whose_topic_name_is_not_utf8_fails_open_as_corrupted()
    {
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path))
        {
            await engine.CommitAsync("ab", "x"u8.ToArray());
        }
        // Without checkpoints the log is replayed from its start, TopicCreated frame included.
        File.Delete(dir.Combine("checkpoint.0"));
        File.Delete(dir.Combine("checkpoint.1"));
        var segment = Directory.GetFiles(dir.Combine("log"), "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        var frame = bytes.AsSpan(SegmentHeader.Length);
        var frameLength = BinaryPrimitives.ReadInt32LittleEndian(frame[FrameHeader.LengthOffset..]);
        var entry = frame[FrameHeader.Length..];
        Assert.Equal((byte)EntryType.TopicCreated, entry[EntryHeader.TypeOffset]);
        entry[TopicCreatedEntry.NameOffset] = 0xFF;
        entry[TopicCreatedEntry.NameOffset + 1] = 0xFE;
        ChecksumRepair.Frame(frame[..frameLength]);
        Assert.Equal(FrameStatus.Valid, FrameDecoder.TryRead(frame, SegmentHeader.Length, out _, out _));
        File.WriteAllBytes(segment, bytes);

        var error = await Record.ExceptionAsync(async () => { await using var reopened = LogEngine.Open(dir.Path); });

        var engineError = Assert.IsType<LogEngineException>(error);
        Assert.Equal(LogEngineError.Corrupted, engineError.Code);
    }
}
