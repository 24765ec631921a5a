namespace Engine.Storage;

/// <summary>
/// Tells the storage failures apart that callers must be able to act on. On Unix .NET puts the
/// errno in <see cref="Exception.HResult"/> of the <see cref="IOException"/> it throws.
/// </summary>
internal static class StorageFault
{
    private const int NoSpace = 28;      // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT: to the caller, the same as a full disk

    /// <summary>The device (or the user's quota) has no room left; never a failed fsync (see <see cref="SyncFailedException"/>).</summary>
    public static bool IsDiskFull(Exception e) =>
        e is not SyncFailedException && e is IOException { HResult: NoSpace or QuotaExceeded } || (e is LogEngineException { Code: LogEngineError.DiskFull });

    /// <summary>An exception that comes from the file system rather than from a bug.</summary>
    public static bool IsStorageFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>The <see cref="IOException"/> a full disk raises, for code that detects it itself.</summary>
    public static IOException DiskFull(string message) => new(message, NoSpace);
}
