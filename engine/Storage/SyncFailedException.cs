namespace Engine.Storage;

/// <summary>
/// An fsync (of a file or a directory) that failed, whatever its errno. It is never a full disk
/// to the caller, even with ENOSPC (which thin-provisioned and network file systems can return
/// from fsync): the kernel may already have dropped the dirty pages it could not write and marked
/// them clean ("fsyncgate"), so retrying after freeing space would report durable what never
/// reached the disk. The store is poisoned instead (<see cref="LogEngineError.StoreFailed"/>).
/// </summary>
internal sealed class SyncFailedException(string what, Exception? cause, int errno)
    : IOException($"fsync of {what} failed{(errno != 0 ? $" (errno {errno})" : "")}: {cause?.Message ?? "the kernel reported an error"}", cause)
{
    /// <summary>The errno the kernel gave, 0 when unknown.</summary>
    public int Errno { get; } = errno;
}
