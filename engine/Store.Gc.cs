using Engine.Index;
using Engine.Log;
using Engine.Storage;

namespace Engine;

/// <summary>
/// What the GC may ask of the log layer, and nothing more: retire segments and index chunks
/// (under the locks that guard the writer's structures), then free them in stages that a crash
/// at any point leaves openable (format-spec.md §7.3):
/// <list type="number">
/// <item><see cref="Retire"/>: unpublish them (the catalog and the indexes stop naming them);</item>
/// <item>the GC checkpoints twice, so neither checkpoint slot lists them or needs them;</item>
/// <item><see cref="Free"/>: rename the segment files out of the log (durably), unmap once no read
///   can be using them, delete the files.</item>
/// </list>
/// A crash before step 2 leaves files the checkpoints still list: nothing happened. After it,
/// segment files the catalog no longer lists, which opening deletes, and index chunk files below
/// their topic's first kept seq, which opening does not map and the next run deletes (as it does
/// those of a prune whose run a crash or a failure stopped before its deletions).
/// </summary>
internal sealed partial class Store : Gc.IGcStore
{
    // The collector's view of the store (Gc.IGcStore): the members below, named explicitly.
    State.LogState Gc.IGcStore.State => State;
    TimeProvider Gc.IGcStore.Clock => Clock;
    SegmentCatalog Gc.IGcStore.Segments => Segments;
    Segment Gc.IGcStore.TailSegment => TailSegment;
    ReclamationGate.ReadScope Gc.IGcStore.EnterReadGate() => EnterReadGate();
    Procs.ProcContext Gc.IGcStore.ProcContext() => new(this);
    void Gc.IGcStore.CommitFrame(IFrameExtension operation) => Commit([], operation);
    void Gc.IGcStore.WriteCheckpoint(bool clean) => WriteCheckpoint(clean);
    (IReadOnlyList<Segment> Segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> Chunks, IReadOnlyList<(uint TopicId, uint Chunk)> StaleChunkFiles) Gc.IGcStore.Retire(IReadOnlyCollection<Segment> dead) => Retire(dead);
    void Gc.IGcStore.Free(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks, IReadOnlyList<(uint TopicId, uint Chunk)> staleChunkFiles) => Free(segments, chunks, staleChunkFiles);
    void Gc.IGcStore.Abandon(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks) => Abandon(segments, chunks);

    /// <summary>
    /// Unpublishes the given dead segments (never the tail) and every index chunk below its topic's
    /// first kept seq; also names the chunk files below it that are not mapped (left by a run a
    /// crash or a failure stopped: opening maps only the chunks of kept seqs), to be deleted alike.
    /// </summary>
    internal (IReadOnlyList<Segment> Segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> Chunks, IReadOnlyList<(uint TopicId, uint Chunk)> StaleChunkFiles) Retire(IReadOnlyCollection<Segment> dead)
    {
        // Listed before taking the lock: a directory listing of every chunk file took milliseconds
        // of commits' time under it. Files made meanwhile are at or above their topic's first kept
        // seq (the writer only makes chunks for new seqs), so they are never among the stale ones.
        var chunkFiles = _medium.ListIndexChunks();
        lock (_writeLock)
        {
            ThrowIfUnusable();
            var tail = _writer.Tail;
            List<Segment> segments = [.. dead.Where(s => s.BasePosition < tail.BasePosition)];
            _segments.Retire(segments);
            var chunks = new List<(uint TopicId, IndexChunk Chunk)>();
            foreach (var topic in _state.Topics.All)
                chunks.AddRange(topic.Index.DetachBelow(topic.FirstSeq).Select(c => (topic.Id, c)));
            var detached = chunks.Select(c => (c.TopicId, c.Chunk.Number)).ToHashSet();
            List<(uint, uint)> stale = [.. chunkFiles.Where(file => !detached.Contains(file)
                && _state.Topics.ById(file.TopicId) is { } topic && file.Chunk < TopicIndex.ChunkOf(topic.FirstSeq))];
            return (segments, chunks, stale);
        }
    }

    /// <summary>Frees what <see cref="Retire"/> unpublished, once the checkpoints no longer need it.</summary>
    internal void Free(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks, IReadOnlyList<(uint TopicId, uint Chunk)> staleChunkFiles)
    {
        if (segments.Count == 0 && chunks.Count == 0 && staleChunkFiles.Count == 0) return;
        try
        {
            try
            {
                _medium.RetireSegments([.. segments.Select(s => s.BasePosition)]);
            }
            finally
            {
                // Unpublished either way: a file whose retirement failed stays for opening to sort out.
                _gate.Free([.. segments, .. chunks.Select(c => c.Chunk.Region)]);
            }
            _medium.PurgeRetiredSegments();
            foreach (var (topicId, chunk) in chunks) _medium.DeleteIndexChunk(topicId, chunk.Number);
            foreach (var (topicId, chunk) in staleChunkFiles) _medium.DeleteIndexChunk(topicId, chunk);
            if (chunks.Count > 0 || staleChunkFiles.Count > 0) _medium.SyncIndexDirectory();
        }
        catch (Exception e) when (StorageFault.IsStorageFailure(e) && !StorageFault.IsDiskFull(e))
        {
            // Nothing acknowledged depends on these files any more, but a disk that fails a rename,
            // an unlink or an fsync is not trusted with the log's next writes either.
            throw _failures.Fail("deleting what the GC retired", e);
        }
    }

    /// <summary>A retirement the checkpoints could not cover: unmap, keep the files (opening sorts them out).</summary>
    internal void Abandon(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks) =>
        _gate.Free([.. segments, .. chunks.Select(c => c.Chunk.Region)]);
}
