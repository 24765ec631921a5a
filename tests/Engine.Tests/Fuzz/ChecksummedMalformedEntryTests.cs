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
    // Found by the fuzz harness: a name that is not UTF-8 passed the decoder and made applying the
    // frame throw a DecoderFallbackException out of Open. The decoder now checks names.
    [Fact]
    public async Task A_checksummed_frame_whose_topic_name_is_not_utf8_fails_open_as_corrupted()
    {
        using var dir = new TempDirectory();
        // Always: the second frame is written after the first was fsync'd, so it is the evidence
        // that the damaged first frame is not a torn tail.
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Durability = Durability.Always }))
        {
            await engine.CommitAsync("ab", "x"u8.ToArray());
            await engine.CommitAsync("ab", "y"u8.ToArray());
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
        Assert.Equal(FrameStatus.Invalid, FrameDecoder.TryRead(frame, SegmentHeader.Length, out _, out _));
        File.WriteAllBytes(segment, bytes);

        var error = await Record.ExceptionAsync(async () => { await using var reopened = LogEngine.Open(dir.Path); });

        var engineError = Assert.IsType<LogEngineException>(error);
        Assert.Equal(LogEngineError.Corrupted, engineError.Code);
    }
}
