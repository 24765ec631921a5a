using System.Runtime.ExceptionServices;
using Engine.Checkpoints;

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
/// frame of every segment (see <see cref="SegmentReader"/>), and every kept record against its
/// index slot (the slot's own check, and that it points at the record's position with its
/// timestamp). Segments are checked at once, one a core (see <see cref="SegmentCheck"/>): what
/// needs the whole log is settled after. A record the GC relocated is checked at its newest copy
/// (see <see cref="NewestCopies"/>); records below a topic's first kept seq (pruned, their
/// segment not yet deleted) are not checked against the index.
/// </summary>
internal static class Verifier
{
    /// <summary>
    /// Checks the store; <paramref name="progress"/>, when given, is told the bytes of segments
    /// checked so far, from one thread at a time.
    /// </summary>
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
        using var index = new IndexSlots(files);
        var segments = CheckSegments(files, index, progress);
        problems.AddRange(index.Problems);
        long frames = 0, records = 0, bytes = 0;
        foreach (var segment in segments)
        {
            frames += segment.Frames;
            records += segment.Records;
            bytes += segment.End.Capacity;
            if (segment.End.Problem is not null) problems.Add(new Problem(segment.End.File, segment.End.ProblemOffset, segment.End.Problem));
            foreach (var (topic, seq) in segment.FirstKeptSeqs) firstKept[topic] = Math.Max(firstKept.GetValueOrDefault(topic), seq);
        }
        problems.AddRange(NewestCopies.Problems(files, segments, firstKept));
        return new VerifyReport(files.Checkpoints.Count, segments.Length, frames, records, index.Opened, bytes,
            [.. problems.DistinctBy(p => (p.File, p.Offset)).OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Offset)])
        {
            FirstKeptSeqs = firstKept,
        };
    }

    /// <summary>
    /// Every segment, in log order, checked by as many threads as there are cores: each takes the
    /// next segment when it is done with one, so the files are read roughly front to back. Plain
    /// threads, not Parallel.ForEach: its generic machinery took longer to compile than a small
    /// store takes to check.
    /// </summary>
    private static SegmentResult[] CheckSegments(StoreFiles files, IndexSlots index, Action<long>? progress)
    {
        var list = files.Segments.ToArray();
        var results = new SegmentResult[list.Length];
        var progressLock = new Lock();
        long done = 0;
        void Tell(long bytes)
        {
            if (progress is null || bytes == 0) return;
            lock (progressLock)
            {
                done += bytes;
                progress(done);
            }
        }
        var next = -1;
        Exception? failure = null;
        void Work()
        {
            var reader = index.NewReader();
            try
            {
                for (int i; (i = Interlocked.Increment(ref next)) < list.Length && Volatile.Read(ref failure) is null;)
                {
                    var (basePosition, path) = list[i];
                    results[i] = SegmentCheck.Run(files.Relative(path), path, basePosition, reader, Tell);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
        var helpers = Enumerable.Range(1, Math.Min(Environment.ProcessorCount, list.Length) - 1)
            .Select(_ => new Thread(Work) { IsBackground = true, Name = "verify" }).ToList();
        foreach (var thread in helpers) thread.Start();
        Work();
        foreach (var thread in helpers) thread.Join();
        // A file that cannot be read is the caller's to report, as if it had been read on its thread.
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return results;
    }
}
