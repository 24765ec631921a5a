using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A file mapped copy-on-write at a length other than its own, for <see cref="ReadOnlyFileMedium"/>:
/// a segment or index chunk cut short or grown is seen at the length the log expects, as
/// <see cref="FileMedium"/> would extend or cut the file itself. The region is reserved as private
/// zeros and the file's bytes, as many as fit, are mapped over its start: nothing is copied (a
/// copy read the whole file into memory first), the missing tail reads as zeros, and whatever
/// recovery writes lands in private pages, never in the file.
/// <para>
/// Linux only (the flag values are Linux's); elsewhere the medium copies the file instead.
/// </para>
/// </summary>
internal sealed unsafe partial class ResizedPrivateRegion : MemoryRegion
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;
    private const int MapNoReserve = 0x4000;

    private ResizedPrivateRegion(byte* pointer, long length)
        : base(pointer, length)
    {
    }

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Maps <paramref name="file"/>, <paramref name="fileLength"/> bytes long, into a region of
    /// <paramref name="length"/> bytes. The file can be closed afterwards: a mapping keeps it.
    /// </summary>
    public static ResizedPrivateRegion Map(SafeFileHandle file, long fileLength, long length)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("a resized private mapping needs Linux");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        // Untouched pages of the reservation cost nothing: no memory is promised for them.
        var region = Mmap(null, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (region == MapFailed) throw new IOException($"cannot reserve {length} bytes of address space (errno {Marshal.GetLastPInvokeError()})");
        var fileBytes = Math.Min(fileLength, length);
        if (fileBytes > 0)
        {
            // Whole pages: the bytes of the file's last page past its end read as zeros; a page
            // wholly past the end would fault, so the reservation's zeros stay there.
            var pageSize = Environment.SystemPageSize;
            var pages = (fileBytes + pageSize - 1) / pageSize * pageSize;
            var mapped = Mmap(region, (nuint)pages, ProtRead | ProtWrite, MapPrivate | MapFixed, (int)file.DangerousGetHandle(), 0);
            if (mapped == MapFailed)
            {
                var errno = Marshal.GetLastPInvokeError();
                _ = Munmap(region, (nuint)length);
                throw new IOException($"cannot map {fileBytes} bytes of a file (errno {errno})");
            }
        }
        return new ResizedPrivateRegion((byte*)region, length);
    }

    public override void Advise(NativeFile.Access access) => NativeFile.Advise(Pointer, Length, access);

    /// <summary>Private pages have no file to reach: nothing to force.</summary>
    public override void Flush()
    {
    }

    public override void Dispose() => _ = Munmap(Pointer, (nuint)Length);

    private static readonly void* MapFailed = (void*)-1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);
}
