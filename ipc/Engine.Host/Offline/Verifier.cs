using Engine.Checkpoints;
using Engine.Index;
using Engine.Log;

namespace Engine.Host.Offline;

/// <summary>A damage found by <see cref="Verifier"/>: the file (relative to the store), the byte offset in it, and what is wrong.</summary>
internal sealed record Problem(string File, long Offset, string What);

/// <summary>What <see cref="Verifier"/> looked at and found.</summary>
internal sealed record VerifyReport(int Checkpoints, int Segments, long Frames, long Records, int IndexChunks, long Bytes, IReadOnlyList<Problem> Problems)
{
    public bool Clean => Problems.Count == 0;

    /// <summary>Each topic's first kept seq, by topic id: index slots below it belong to pruned records and are not checked.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<uint, long> FirstKeptSeqs { get; init; } = new Dictionary<uint, long>();
}

/// <summary>
/// Checks a store offline, without opening it: each checkpoint slot (its CRCs and payload), every
/// frame of every segment (see <see cref="LogWalker"/>), and every kept record against its index
/// slot (the slot's own check, and that it points at the record's position with its timestamp).
/// A record the GC relocated is checked at its newest copy; records below a topic's first kept
/// seq (pruned, their segment not yet deleted) are not checked against the index.
/// </summary>
internal static class Verifier
{
    public static VerifyReport Run(StoreFiles files, Action<long>? progress = null)
    {
        var problems = new List<Problem>();
        var firstKept = new Dictionary<uint, long>();
        var checkpoints = new List<(string, Checkpoint)>();
        foreach (var file in files.Checkpoints)
        {
            var checkpoint = CheckpointCodec.TryDecode(File.ReadAllBytes(file), out var error);
            if (checkpoint is null) problems.Add(new Problem(files.Relative(file), 0, $"checkpoint: {error}"));
            else
            {
                checkpoints.Add((files.Relative(file), checkpoint));
                foreach (var topic in checkpoint.Topics) firstKept[topic.Id] = Math.Max(firstKept.GetValueOrDefault(topic.Id), topic.FirstSeq);
            }
        }
        FileChecks.Missing(files, checkpoints, problems);
        FileChecks.IndexChunkLengths(files, problems);
        var index = new IndexFiles(files, problems);
        // (topic, seq) → the problem its newest copy so far has with the index. A copy that matches
        // removes its record's entry: only problems are kept, so millions of good records cost no
        // memory (a record can have several copies once GC has relocated it; the newest counts).
        var slotProblems = new Dictionary<(uint, long), Problem>();
        long frames = 0, records = 0, bytes = 0;
        var segments = 0;
        foreach (var (frame, end) in LogWalker.Walk(files))
        {
            if (end is not null)
            {
                segments++;
                bytes += end.Capacity;
                progress?.Invoke(bytes);
                if (end.Problem is not null) problems.Add(new Problem(end.File, end.ProblemOffset, end.Problem));
                continue;
            }
            frames++;
            // The entries as spans of the frame: no copy and no list per record.
            var entries = FrameDecoder.Entries(frame!.Value.Bytes);
            while (entries.MoveNext())
            {
                var entry = entries.Current;
                var type = EntryHeader.Read(entry).Type;
                if (type == EntryType.TopicPruned)
                {
                    var topic = TopicPrunedEntry.TopicId(entry);
                    firstKept[topic] = Math.Max(firstKept.GetValueOrDefault(topic), TopicPrunedEntry.FirstKeptSeq(entry));
                    continue;
                }
                if (type != EntryType.Record) continue;
                records++;
                var (topicId, seq) = (RecordEntry.TopicId(entry), RecordEntry.Seq(entry));
                var problem = index.Check(topicId, seq, frame.Value.Position + entries.CurrentOffset, RecordEntry.Timestamp(entry));
                if (problem is null) slotProblems.Remove((topicId, seq));
                else slotProblems[(topicId, seq)] = problem;
            }
        }
        foreach (var ((topic, seq), problem) in slotProblems)
            if (seq >= firstKept.GetValueOrDefault(topic)) problems.Add(problem);
        return new VerifyReport(files.Checkpoints.Count, segments, frames, records, index.Opened, bytes,
            [.. problems.DistinctBy(p => (p.File, p.Offset)).OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Offset)])
        {
            FirstKeptSeqs = firstKept,
        };
    }

    /// <summary>Index chunk files read once each, their headers checked once.</summary>
    private sealed class IndexFiles(StoreFiles files, List<Problem> problems)
    {
        private readonly Dictionary<(uint, uint), byte[]?> _chunks = [];

        public int Opened => _chunks.Count;

        public Problem? Check(uint topic, long seq, long position, long timestamp)
        {
            var chunk = TopicIndex.ChunkOf(seq);
            var bytes = Chunk(topic, chunk);
            // The file's name is made only for a problem: formatting it for every record cost more
            // than all the checks together.
            if (bytes is null) return new Problem(ChunkName(topic, chunk), 0, $"the index chunk of topic {topic} seq {seq} is missing or its header is damaged");
            var slotOffset = IndexChunkHeader.Length + (seq & (TopicIndex.SlotsPerChunk - 1)) * IndexEntry.Size;
            if (slotOffset + IndexEntry.Size > bytes.Length) return new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot lies past the end of the file");
            if (!IndexEntry.TryRead(bytes.AsSpan((int)slotOffset, IndexEntry.Size), topic, seq, out var slotPosition, out var slotTimestamp))
                return new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot fails its check");
            if (slotPosition != position || slotTimestamp != timestamp)
                return new Problem(ChunkName(topic, chunk), slotOffset, $"topic {topic} seq {seq}: the slot says position {slotPosition} ts {slotTimestamp}, the record is at {position} ts {timestamp}");
            return null;
        }

        private static string ChunkName(uint topic, uint chunk) => Path.Combine("index", $"{topic:x8}-{chunk:x8}.idx");

        // Records come in runs of one topic's chunk: the last one found is asked first.
        private (uint Topic, uint Chunk, byte[]? Bytes) _last = (uint.MaxValue, uint.MaxValue, null);

        private byte[]? Chunk(uint topic, uint chunk)
        {
            if (_last.Topic == topic && _last.Chunk == chunk) return _last.Bytes;
            var bytes = Load(topic, chunk);
            _last = (topic, chunk, bytes);
            return bytes;
        }

        private byte[]? Load(uint topic, uint chunk)
        {
            if (_chunks.TryGetValue((topic, chunk), out var cached)) return cached;
            byte[]? bytes = null;
            if (files.IndexChunks.TryGetValue((topic, chunk), out var path))
            {
                bytes = File.ReadAllBytes(path);
                if (!IndexChunkHeader.IsValid(bytes.AsSpan(0, Math.Min(bytes.Length, IndexChunkHeader.Length)), topic, chunk))
                {
                    problems.Add(new Problem(ChunkName(topic, chunk), 0, "index chunk header is damaged"));
                    bytes = null;
                }
            }
            _chunks[(topic, chunk)] = bytes;
            return bytes;
        }
    }
}
