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
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    private PrivateMappedRegion(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pointer, long length)
        : base(pointer, length)
    {
        _file = file;
        _map = map;
        _view = view;
    }

    /// <summary>Maps all of <paramref name="file"/>, opened for reading, which must be exactly <paramref name="length"/> bytes long.</summary>
    public static PrivateMappedRegion Map(SafeFileHandle file, long length)
    {
        var map = MemoryMappedFile.CreateFromFile(file, mapName: null, length, MemoryMappedFileAccess.CopyOnWrite,
            HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.CopyOnWrite);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new PrivateMappedRegion(file, map, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Private pages have no file to reach: nothing to force.</summary>
    public override void Flush()
    {
    }

    public override void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.SafeMemoryMappedViewHandle.Dispose();
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
    }
}
