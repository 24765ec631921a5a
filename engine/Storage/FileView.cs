using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A whole file mapped into this process: the mapping, its view, and a pointer to the view's first
/// byte. Shared by the read-write and the copy-on-write regions, which differ only in access and
/// in what a flush means.
/// </summary>
internal sealed unsafe class FileView : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    private FileView(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pointer)
    {
        _map = map;
        _view = view;
        Pointer = pointer;
    }

    public byte* Pointer { get; }

    /// <summary>Maps all of <paramref name="file"/>, which must already be <paramref name="length"/> bytes long; the file stays open.</summary>
    public static FileView Map(SafeFileHandle file, long length, MemoryMappedFileAccess access)
    {
        var map = MemoryMappedFile.CreateFromFile(file, mapName: null, length, access, HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = map.CreateViewAccessor(0, length, access);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new FileView(map, view, pointer + view.PointerOffset);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Unmapped here, before the accessor is disposed: disposing an open accessor msyncs the
        // whole view (MS_SYNC), a second fsync of every file at close (5 s for 1,000 topics' index
        // chunks on a busy disk). What must be durable was fsynced already (the flusher, the
        // checkpoint); the rest stays in the page cache, shared, and reaches the disk as usual.
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.SafeMemoryMappedViewHandle.Dispose();
        _view.Dispose();
        _map.Dispose();
    }
}
