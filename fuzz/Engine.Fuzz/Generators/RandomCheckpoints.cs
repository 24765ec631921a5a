using System.Text;
using Engine.Checkpoints;
using Engine.Fuzz.Frames;
using Engine.Index;

namespace Engine.Fuzz.Generators;

/// <summary>Checkpoints of random content, as the engine would write them: topics with sane seqs, and opaque sections.</summary>
internal static class RandomCheckpoints
{
    public static Checkpoint Next(Random rng)
    {
        var topics = new List<TopicCheckpoint>();
        var topicCount = rng.Next(0, 6);
        for (var i = 0; i < topicCount; i++)
        {
            var firstSeq = rng.NextInt64(0, 1L << 30);
            var name = Encoding.UTF8.GetString(RandomFrames.NextName(rng));
            topics.Add(new TopicCheckpoint((uint)(i + 1), name, firstSeq + rng.NextInt64(0, 1L << 30), firstSeq, rng.NextInt64(0, IndexEntry.MaxTimestamp)));
        }
        var sections = new Dictionary<ushort, byte[]>();
        if (rng.Next(2) == 0) sections[Checkpoint.ProcsSection] = RandomFrames.Bytes(rng, rng.Next(0, 64));
        if (rng.Next(4) == 0) sections[Checkpoint.SystemProcsSection] = RandomFrames.Bytes(rng, rng.Next(0, 32));
        return new Checkpoint(rng.NextInt64(1, 1L << 20), rng.NextInt64(0, 1L << 40) & ~7L, rng.Next(2) == 0, (uint)topicCount + 1, topics, sections);
    }
}
