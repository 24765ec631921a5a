using Engine.Index;
using Engine.Log;
using Engine.State;
using Engine.Storage;

namespace Engine.Gc;

/// <summary>
/// What the garbage collector may ask of the store, and nothing more: read its state under the
/// reclamation gate, commit its prune and relocation frames, write checkpoints, and retire, free or
/// abandon segments in the staged order Store.Gc.cs describes. The store implements it; the GC
/// names only this, so it cannot reach into the writer's structures.
/// </summary>
internal interface IGcStore
{
    LogState State { get; }

    TimeProvider Clock { get; }

    SegmentCatalog Segments { get; }

    Segment TailSegment { get; }

    ReclamationGate.ReadScope EnterReadGate();

    /// <summary>The procs' view of the state, to find how far each proc has read.</summary>
    Procs.ProcContext ProcContext();

    /// <summary>Commits a frame holding only the operation's entries, under the write lock.</summary>
    void CommitFrame(IFrameExtension operation);

    void WriteCheckpoint(bool clean);

    (IReadOnlyList<Segment> Segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> Chunks, IReadOnlyList<(uint TopicId, uint Chunk)> StaleChunkFiles) Retire(IReadOnlyCollection<Segment> dead);

    void Free(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks, IReadOnlyList<(uint TopicId, uint Chunk)> staleChunkFiles);

    void Abandon(IReadOnlyList<Segment> segments, IReadOnlyList<(uint TopicId, IndexChunk Chunk)> chunks);
}
