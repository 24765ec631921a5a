using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A whole file mapped read-write and shared. Writes through the view and <c>pwrite</c>s through
/// the descriptor (<see cref="Write"/>) land in the same page cache, which the view shows: either
/// way readers see the bytes at once, and they survive a crash of this process the moment they
/// are written; an fsync of the descriptor makes them durable. The log's writer uses both (see
/// <see cref="Log.LogWriter"/> for which, and why).
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
    public static MappedFileRegion Map(SafeFileHandle file, long length) =>
        new(file, FileView.Map(file, length, MemoryMappedFileAccess.ReadWrite), length);

    public override bool AppendsLargeFramesByWrite => true;

    /// <summary><c>pwrite</c> through the descriptor.</summary>
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
