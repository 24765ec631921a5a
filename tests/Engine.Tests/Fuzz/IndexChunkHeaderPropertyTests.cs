using Engine.Fuzz.Frames;
using Engine.Fuzz.Targets;
using Engine.Index;

namespace Engine.Tests.Fuzz;

/// <summary><see cref="IndexChunkHeader.IsValid"/>: a chunk file is used only if its header is intact and its own.</summary>
public sealed class IndexChunkHeaderPropertyTests
{
    [Fact]
    public void Written_chunk_headers_are_valid_only_for_their_topic_and_chunk() => Property.Check(8_000, rng =>
    {
        var (header, topicId, chunk) = WrittenHeader(rng);
        Assert.True(IndexTarget.CheckHeader(header, topicId, chunk));
        Assert.False(IndexTarget.CheckHeader(header, topicId ^ (uint)rng.Next(1, int.MaxValue), chunk));
        Assert.False(IndexTarget.CheckHeader(header, topicId, chunk ^ (uint)rng.Next(1, int.MaxValue)));
    });

    [Fact]
    public void Damaged_chunk_headers_are_never_valid() => Property.Check(8_000, rng =>
    {
        var (header, topicId, chunk) = WrittenHeader(rng);
        var damaged = rng.Next(2) == 0
            ? Mutate.FlipBits(rng, header, rng.Next(1, 9), 0, header.Length)
            : Mutate.OverwriteRange(rng, header, 0, header.Length);
        var unchanged = damaged.AsSpan().SequenceEqual(header);
        Assert.Equal(unchanged, IndexTarget.CheckHeader(damaged, topicId, chunk));
    });

    [Fact]
    public void Truncated_chunk_headers_are_never_valid() => Property.Check(1_000, rng =>
    {
        var (header, topicId, chunk) = WrittenHeader(rng);
        for (var cut = 0; cut < header.Length; cut++)
            Assert.False(IndexTarget.CheckHeader(header.AsSpan(0, cut), topicId, chunk), $"cut at {cut} was valid");
    });

    private static (byte[] Header, uint TopicId, uint Chunk) WrittenHeader(Random rng)
    {
        var header = new byte[IndexChunkHeader.Length];
        var (topicId, chunk) = (RandomFrames.NextTopicId(rng), (uint)rng.Next(0, 1 << 20));
        IndexChunkHeader.Write(header, topicId, chunk);
        return (header, topicId, chunk);
    }
}
