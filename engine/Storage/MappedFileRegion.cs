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
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    private MappedFileRegion(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pointer, long length)
        : base(pointer, length)
    {
        File = file;
        _map = map;
        _view = view;
    }

    /// <summary>The open file; kept for fsync.</summary>
    public SafeFileHandle File { get; }

    /// <summary>Maps all of <paramref name="file"/>, which must already be <paramref name="length"/> bytes long.</summary>
    public static MappedFileRegion Map(SafeFileHandle file, long length)
    {
        var map = MemoryMappedFile.CreateFromFile(file, mapName: null, length, MemoryMappedFileAccess.ReadWrite,
            HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFileRegion(file, map, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public override void Advise(NativeFile.Access access) => NativeFile.Advise(Pointer, Length, access);

    /// <summary>fsync: the file's dirty pages, whether written through the view or not, reach the disk.</summary>
    public override void Flush() => NativeFile.Sync(File, "a mapped file");

    public override void Dispose()
    {
        // Unmapped here, before the accessor is disposed: disposing an open accessor msyncs the
        // whole view (MS_SYNC), a second fsync of every file at close (5 s for 1,000 topics' index
        // chunks on a busy disk). What must be durable was fsynced already (the flusher, the
        // checkpoint); the rest stays in the page cache, shared, and reaches the disk as usual.
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.SafeMemoryMappedViewHandle.Dispose();
        _view.Dispose();
        _map.Dispose();
        File.Dispose();
    }
}
