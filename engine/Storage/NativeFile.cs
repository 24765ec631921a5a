using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// The few POSIX calls .NET does not expose: fsync of a directory (so a created or renamed file's
/// name is durable), zeroing a byte range without writing it (to cut a torn tail), and waiting on
/// a flock (.NET only ever tries one and gives up).
/// Elsewhere than Linux the directory sync is skipped and zeroing falls back to writing zeros.
/// </summary>
internal static partial class NativeFile
{
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000; // O_DIRECTORY on Linux x64 and arm64
    private const int FallocZeroRange = 0x10;  // FALLOC_FL_ZERO_RANGE
    private const int FallocKeepSize = 0x01;   // FALLOC_FL_KEEP_SIZE
    private const int FallocPunchHole = 0x02;  // FALLOC_FL_PUNCH_HOLE

    /// <summary>Makes the entries of <paramref name="directory"/> (creations, renames, deletions) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(directory, OpenReadOnly | OpenDirectory);
        if (fd < 0) throw new IOException($"cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new SyncFailedException($"directory '{directory}'", null, Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>fsync of a file; any failure is a <see cref="SyncFailedException"/> (never "disk full").</summary>
    public static void Sync(SafeFileHandle file, string what)
    {
        try
        {
            RandomAccess.FlushToDisk(file);
        }
        catch (IOException e)
        {
            throw new SyncFailedException(what, e, e.HResult is > 0 and < 4096 ? e.HResult : 0);
        }
    }

    /// <summary>
    /// fdatasync of a file (fsync elsewhere than Linux): its data and the metadata needed to read
    /// it back, not its timestamps. For files whose size never changes once made; any failure is a
    /// <see cref="SyncFailedException"/>.
    /// </summary>
    public static void SyncData(SafeFileHandle file, string what)
    {
        if (!OperatingSystem.IsLinux())
        {
            Sync(file, what);
            return;
        }
        if (Fdatasync((int)file.DangerousGetHandle()) != 0)
            throw new SyncFailedException(what, null, Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// Makes <c>[offset, offset + length)</c> of the file read as zeros while keeping its blocks
    /// reserved, so later writes through a mapping cannot fail for lack of space.
    /// </summary>
    public static void ZeroRange(SafeFileHandle file, long offset, long length)
    {
        if (length <= 0) return;
        if (OperatingSystem.IsLinux())
        {
            var fd = (int)file.DangerousGetHandle();
            if (Fallocate(fd, FallocZeroRange | FallocKeepSize, offset, length) == 0) return;
            // Some file systems lack ZERO_RANGE; punching a hole and reserving it again has the same effect.
            if (Fallocate(fd, FallocPunchHole | FallocKeepSize, offset, length) == 0 && Fallocate(fd, 0, offset, length) == 0) return;
        }
        WriteZeros(file, offset, length);
    }

    /// <summary>Reserves disk blocks for <c>[offset, offset + length)</c> so writes there cannot run out of space.</summary>
    public static void Reserve(SafeFileHandle file, long offset, long length)
    {
        if (length <= 0 || !OperatingSystem.IsLinux()) return;
        if (Fallocate((int)file.DangerousGetHandle(), FallocKeepSize, offset, length) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == NoSpace) throw StorageFault.DiskFull($"no space left on device to reserve {length} bytes");
            // Other failures (a file system without fallocate) leave the file sparse, as before.
        }
    }

    private const int NoSpace = 28; // ENOSPC

    /// <summary>
    /// Up to <paramref name="max"/> bytes of a file, read with plain open/read so that no flock is
    /// asked for (a <see cref="FileStream"/> takes a shared one, refused while a holder has LOCK);
    /// null if it cannot be opened. Linux only; elsewhere null.
    /// </summary>
    public static unsafe byte[]? ReadUnlocked(string path, int max)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fd = Open(path, OpenReadOnly);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[max];
            nint read;
            fixed (byte* pointer = buffer) read = Read(fd, pointer, (nuint)max);
            return read < 0 ? null : buffer[..(int)read];
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Blocks until a shared flock on <paramref name="path"/> is granted, that is until no one holds
    /// it exclusively, then lets it go at once; returns at once when the file does not exist.
    /// Linux only (false elsewhere, having waited for nothing).
    /// </summary>
    public static bool WaitForShared(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var fd = Open(path, OpenReadOnly);
        if (fd < 0) return true;
        try
        {
            // Interrupted by a signal the runtime handles: ask again.
            while (Flock(fd, LockShared) != 0 && Marshal.GetLastPInvokeError() == Interrupted)
            {
            }
            return true;
        }
        finally
        {
            _ = Close(fd); // lets the lock go with the descriptor
        }
    }

    private const int LockShared = 1; // LOCK_SH
    private const int Interrupted = 4; // EINTR

    private static void WriteZeros(SafeFileHandle file, long offset, long length)
    {
        var zeros = new byte[Math.Min(length, 1 << 20)];
        while (length > 0)
        {
            var chunk = (int)Math.Min(length, zeros.Length);
            RandomAccess.Write(file, zeros.AsSpan(0, chunk), offset);
            offset += chunk;
            length -= chunk;
        }
    }

    /// <summary>How the kernel should expect a mapping to be accessed (madvise advice values).</summary>
    public enum Access
    {
        /// <summary>The default: read-ahead on faults.</summary>
        Normal = 0,
        /// <summary>
        /// No read-ahead. For the segment being written: a write fault into a fresh page would
        /// otherwise read ahead (zero-fill) the device's read-ahead window, 8 MiB here, inside the
        /// writer's lock, stalling commits for tens of milliseconds at every such boundary.
        /// </summary>
        Random = 1,
        /// <summary>
        /// Read once, front to back (a tool checking a whole file): read-ahead at its largest, so
        /// the disk streams while the reader works on the pages already in.
        /// </summary>
        Sequential = 2,
    }

    /// <summary>Advises the kernel how <c>[address, address + length)</c> of a mapping will be used; best effort.</summary>
    public static unsafe void Advise(byte* address, long length, Access access)
    {
        if (OperatingSystem.IsLinux()) _ = Madvise(address, (nuint)length, (int)access);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static unsafe partial int Madvise(byte* address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);
}
