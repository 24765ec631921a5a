namespace Engine.Storage;

/// <summary>
/// Lets readers walk segments and index chunks without locks while the GC frees them: every read
/// holds the gate shared for its (synchronous, short) duration, and freeing takes it exclusively,
/// so memory is only unmapped once no read can be looking at it. Appends never touch the gate.
/// </summary>
internal sealed class ReclamationGate : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Holds the gate shared until the returned scope is disposed.</summary>
    public ReadScope EnterRead()
    {
        _lock.EnterReadLock();
        return new ReadScope(_lock);
    }

    /// <summary>Frees <paramref name="regions"/> once every read in progress has finished.</summary>
    public void Free(IEnumerable<IDisposable> regions)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var region in regions) region.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>One read's hold on the gate.</summary>
    public readonly struct ReadScope(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitReadLock();
    }
}
