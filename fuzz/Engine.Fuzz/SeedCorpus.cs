using System.Buffers.Binary;
using Engine.Checkpoints;
using Engine.Fuzz.Frames;
using Engine.Fuzz.Generators;
using Engine.Fuzz.Targets;
using Engine.Index;
using Engine.Log;

namespace Engine.Fuzz;

/// <summary>
/// A small starting corpus for every target, written by the engine's own writers (FrameWriter,
/// IndexEntry.Write, CheckpointCodec.Encode, ...) from a fixed seed, so it is the same every
/// time and nothing binary needs to be committed. Each input starts with its target's control
/// byte, both with and without checksum repair.
/// </summary>
internal static class SeedCorpus
{
    private const int Seed = 20_241_124;

    public static IEnumerable<byte[]> For(string target) => target switch
    {
        "frame" => Frames(),
        "record" => Records(),
        "index" => Index(),
        "checkpoint" => Checkpoints(),
        "segment-header" => SegmentHeaders(),
        "ipc-frame" => Ipc.IpcSeeds.Frames(Seed),
        "ipc-message" => Ipc.IpcSeeds.Messages(),
        _ => throw new ArgumentException($"no target '{target}'", nameof(target)),
    };

    /// <summary>Writes <c>directory/target/seed-NN</c> for every target; returns how many files.</summary>
    public static int Write(string directory)
    {
        var written = 0;
        foreach (var target in FuzzTargets.All.Keys)
        {
            var folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            var i = 0;
            foreach (var seed in For(target))
            {
                File.WriteAllBytes(Path.Combine(folder, $"seed-{i++:D2}"), seed);
                written++;
            }
        }
        return written;
    }

    private static IEnumerable<byte[]> Frames()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 12; i++)
        {
            var frame = RandomFrames.Next(rng, maxEntries: 4, maxBody: 48);
            yield return [0, .. frame.Bytes];
            yield return [2, .. frame.Bytes];
        }
        var seal = GeneratedFrame.Seal(4096, 64);
        yield return [0, .. seal.Bytes];

        // The expected position spelled out, with zeros after the frame as in a preallocated segment.
        var spelled = RandomFrames.Next(rng, maxEntries: 3, maxBody: 32);
        var prefix = new byte[9];
        prefix[0] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(prefix.AsSpan(1), spelled.Position);
        yield return [.. prefix, .. spelled.Bytes, .. new byte[64]];
    }

    private static IEnumerable<byte[]> Records()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 12; i++)
        {
            var record = RandomFrames.NextRecord(rng, maxBody: 48);
            var frame = GeneratedFrame.Batch(0, 0, [record]);
            var entry = frame.Bytes.AsSpan(FrameHeader.Length).ToArray();
            yield return [(byte)(i % 2 == 0 ? 0 : 2), .. entry];
        }
    }

    private static IEnumerable<byte[]> Index()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 8; i++)
        {
            var topicId = RandomFrames.NextTopicId(rng);
            var seq = rng.NextInt64(0, 1L << 40);
            var input = new byte[IndexTarget.FixedLength + IndexChunkHeader.Length];
            input[0] = (byte)(i % 2);
            IndexEntry.Write(input.AsSpan(1), topicId, seq, rng.NextInt64(0, IndexEntry.MaxPosition + 1), rng.NextInt64(0, IndexEntry.MaxTimestamp + 1));
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(17), topicId);
            BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(21), seq);
            var chunk = (uint)(seq / TopicIndex.SlotsPerChunk);
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(29), chunk);
            IndexChunkHeader.Write(input.AsSpan(IndexTarget.FixedLength), topicId, chunk);
            yield return input;
        }
    }

    private static IEnumerable<byte[]> Checkpoints()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 6; i++) yield return [(byte)(i % 2), .. CheckpointCodec.Encode(RandomCheckpoints.Next(rng))];
    }

    private static IEnumerable<byte[]> SegmentHeaders()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[SegmentHeader.Length];
            var capacity = rng.NextInt64(1, 1L << 10) * 4096;
            new SegmentHeader(rng.NextInt64(0, 1L << 30) * 4096, capacity, rng.NextInt64(0, 1L << 41), SegmentHeader.CurrentVersion).Write(bytes);
            yield return [(byte)(i % 2), .. bytes];
        }
    }
}
