using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A whole file mapped shared. Segments are mapped read-only and appended to with
/// <c>pwrite</c> (<see cref="Write"/>): the bytes land in the page cache the mapping shows, so
/// readers see them at once and they survive a crash of this process the moment they are
/// written, while an fsync never has to write-protect pages a mapping dirtied (page_mkclean, TLB
/// shootdowns, and a refault at the next write to every page: a tenth of the disk's speed when
/// the log was written through its mapping). Index chunks, whose slots are small scattered writes
/// synced only at checkpoints, stay mapped read-write.
/// </summary>
internal sealed unsafe class MappedFileRegion : MemoryRegion
{
    private readonly FileView _view;

    private MappedFileRegion(SafeFileHandle file, FileView view, long length)
        : base(view.Pointer, length)
    {
        File = file;
        _view = view;
    }

    /// <summary>The open file; kept for writes, fsync and reserving blocks.</summary>
    public SafeFileHandle File { get; }

    /// <summary>Maps all of <paramref name="file"/>, which must already be <paramref name="length"/> bytes long.</summary>
    public static MappedFileRegion Map(SafeFileHandle file, long length, bool writable) =>
        new(file, FileView.Map(file, length, writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read), length);

    /// <summary><c>pwrite</c> through the descriptor (the mapping may be read-only).</summary>
    public override void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        if ((ulong)offset > (ulong)Length || (ulong)bytes.Length > (ulong)(Length - offset))
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{bytes.Length}) is outside a file of {Length} bytes");
        RandomAccess.Write(File, bytes, offset);
    }

    public override void Advise(NativeFile.Access access) => NativeFile.Advise(Pointer, Length, access);

    /// <summary>
    /// fdatasync: the file's dirty pages, and the metadata needed to read them back, reach the
    /// disk. Enough because a mapped file never changes size after it is made, and its blocks are
    /// reserved ahead (the extent changes fdatasync does write); mtime is not worth a journal write.
    /// </summary>
    public override void Flush() => NativeFile.SyncData(File, "a mapped file");

    public override void Dispose()
    {
        _view.Dispose();
        File.Dispose();
    }
}
