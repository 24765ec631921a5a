using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A file mapped copy-on-write (MAP_PRIVATE) from a read-only descriptor: reads see the file, and
/// whatever recovery writes (a cut tail, a rebuilt index slot) lands in private pages of this
/// process and never reaches the file. What <see cref="ReadOnlyFileMedium"/> maps.
/// </summary>
internal sealed unsafe class PrivateMappedRegion : MemoryRegion
{
    private readonly SafeFileHandle _file;
    private readonly FileView _view;

    private PrivateMappedRegion(SafeFileHandle file, FileView view, long length)
        : base(view.Pointer, length)
    {
        _file = file;
        _view = view;
    }

    /// <summary>Maps all of <paramref name="file"/>, opened for reading, which must be exactly <paramref name="length"/> bytes long.</summary>
    public static PrivateMappedRegion Map(SafeFileHandle file, long length) =>
        new(file, FileView.Map(file, length, MemoryMappedFileAccess.CopyOnWrite), length);

    /// <summary>Private pages have no file to reach: nothing to force.</summary>
    public override void Flush()
    {
    }

    public override void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
