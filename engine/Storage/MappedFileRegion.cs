using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A whole file mapped read-write and shared: writes through the view land in the page cache, so
/// they survive a crash of this process the moment they are made, and an fsync of the file
/// descriptor makes them durable.
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

    /// <summary>The open file; kept for fsync.</summary>
    public SafeFileHandle File { get; }

    /// <summary>Maps all of <paramref name="file"/>, which must already be <paramref name="length"/> bytes long.</summary>
    public static MappedFileRegion Map(SafeFileHandle file, long length) =>
        new(file, FileView.Map(file, length, MemoryMappedFileAccess.ReadWrite), length);

    public override void Advise(NativeFile.Access access) => NativeFile.Advise(Pointer, Length, access);

    /// <summary>fsync: the file's dirty pages, whether written through the view or not, reach the disk.</summary>
    public override void Flush() => NativeFile.Sync(File, "a mapped file");

    public override void Dispose()
    {
        _view.Dispose();
        File.Dispose();
    }
}
