using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using System.Runtime.CompilerServices;

namespace Engine.Storage;

/// <summary>
/// A whole file mapped read-only and shared, for tools that only read a store's files (engine
/// verify): the reader sees the page cache's own pages, with nothing copied into the process and
/// no fresh memory to fault in and zero, which is what reading a large file into an array costs
/// (more than checking its bytes did). An empty file has no mapping and reads as no bytes.
/// <para>
/// A file cut shorter while it is mapped would fault on the lost pages; the engine never shortens
/// a file a tool reads below what the tool reads (a segment or chunk of the wrong length is
/// extended, or cut back to its own length, which the tools read no further than).
/// </para>
/// </summary>
internal sealed unsafe class ReadOnlyView : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly FileView? _view;

    private ReadOnlyView(SafeFileHandle file, FileView? view, long length)
    {
        _file = file;
        _view = view;
        Length = length;
    }

    /// <summary>The file's length when it was mapped.</summary>
    public long Length { get; }

    /// <summary>Maps all of the file at <paramref name="path"/>, telling the kernel how it will be read.</summary>
    public static ReadOnlyView Open(string path, NativeFile.Access access)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(file);
            if (length == 0) return new ReadOnlyView(file, null, 0);
            var view = FileView.Map(file, length, MemoryMappedFileAccess.Read);
            NativeFile.Advise(view.Pointer, length, access);
            return new ReadOnlyView(file, view, length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/>, bounds-checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // asked once a frame, or a record, by a tool's whole-store walk
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        if ((ulong)offset > (ulong)Length || (ulong)length > (ulong)(Length - offset))
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) is outside a file of {Length} bytes");
        return _view is null ? [] : new ReadOnlySpan<byte>(_view.Pointer + offset, length);
    }

    public void Dispose()
    {
        _view?.Dispose();
        _file.Dispose();
    }
}
