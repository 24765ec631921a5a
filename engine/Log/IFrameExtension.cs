namespace Engine.Log;

/// <summary>Something besides records that goes into the same frame (a proc's ack, for one).</summary>
internal interface IFrameExtension
{
    /// <summary>Checks the state and sizes the entries; throws to abort the call with nothing written.</summary>
    int Prepare();

    /// <summary>Writes the entries sized by <see cref="Prepare"/>.</summary>
    void Write(ref FrameWriter writer);

    /// <summary>Set by <see cref="Prepare"/> when the call fails after all but must still write its entries (an automatic reclaim): the records are left out.</summary>
    bool SuppressRecords { get; }

    /// <summary>Records the extension decided to commit in the same frame (a proc's dead letters), set by <see cref="Prepare"/>; kept even when <see cref="SuppressRecords"/>.</summary>
    IReadOnlyList<CommitLog> Records => [];

    /// <summary>
    /// A frame that frees space (the GC's prunes): it may use the room every segment keeps
    /// for it, so the GC can still run, and free the disk, when the disk is full.
    /// </summary>
    bool FreesSpace => false;
}
