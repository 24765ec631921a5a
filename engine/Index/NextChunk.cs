using Engine.Storage;

namespace Engine.Index;

/// <summary>
/// A topic's next index chunk, made in the background while the current one fills up. Making a
/// chunk (create, size, map, reserve blocks, write the header) under the write lock stalled
/// commits for up to 5 ms on this machine's disk under load, and so did reserving its slots as
/// the topic reached them; a chunk made ahead has all its blocks reserved at once (a topic that
/// fills one chunk will fill the next). A chunk that cannot be made ahead (a full disk) is left to
/// the writer, which makes it inline as before and tells its caller why. Writer only, except the
/// background task itself.
/// </summary>
internal sealed class NextChunk(uint topicId, IStorageMedium medium)
{
    /// <summary>
    /// The next chunk is started when the current one has fewer free slots than this: half a
    /// chunk. With 8,192, a committer of a million single records a second left its chunk 8 ms
    /// after starting the next, and on 2 busy cores making it sometimes took longer: that commit
    /// waited for it (8 ms, timed inside the commit). Half a chunk leaves over 30 ms at that rate.
    /// </summary>
    public const int StartWhenSlotsLeft = 32768;

    private Task<MemoryRegion?>? _making;
    private uint _number;

    /// <summary>The chunk being made ahead, or null (tests wait for it).</summary>
    public Task? Making => _making;

    /// <summary>Starts making chunk <paramref name="number"/>, unless one is being made already.</summary>
    public void Start(uint number)
    {
        if (_making is not null) return;
        _number = number;
        _making = AheadWork.Start(() => Make(number));
    }

    /// <summary>The region made ahead for <paramref name="number"/>, or null (none, another number, or it could not be made).</summary>
    public MemoryRegion? Take(uint number)
    {
        if (_making is null || _number != number) return null;
        var region = _making.GetAwaiter().GetResult(); // nearly always finished long before
        _making = null;
        return region;
    }

    /// <summary>Frees a chunk made ahead and never taken (closing); its file stays, empty, as a crash would leave it.</summary>
    public void Dispose()
    {
        if (_making is null) return;
        _making.GetAwaiter().GetResult()?.Dispose();
        _making = null;
    }

    private MemoryRegion? Make(uint number)
    {
        MemoryRegion? region = null;
        try
        {
            region = TopicIndex.OpenChunkRegion(medium, topicId, number);
            medium.Reserve(region, IndexChunkHeader.Length, TopicIndex.ChunkFileLength - IndexChunkHeader.Length);
            return region;
        }
        catch (Exception e) when (StorageFault.IsStorageFailure(e))
        {
            region?.Dispose();
            return null;
        }
    }
}
