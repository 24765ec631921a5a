using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A store directory:
/// <code>
/// LOCK                       held (flock) while an engine has the store open
/// checkpoint.0, .1           the two checkpoint slots
/// log/&lt;base:D20&gt;.seg         segments, named by the log position of their first byte
/// index/&lt;topic:x8&gt;-&lt;chunk:x8&gt;.idx   index chunks
/// log/&lt;base:D20&gt;.seg.deleted   segments the GC retired, deleted once unmapped (or on open after a crash)
/// *.tmp                      half-made files from a crash, deleted on open
/// </code>
/// Files that must appear whole (segments, checkpoints) are written under a .tmp name, fsync'd,
/// renamed, and the directory fsync'd; so a name, once durable, always names a complete file.
/// </summary>
internal sealed class FileMedium : IStorageMedium
{
    private const string SegmentExtension = ".seg";
    private const string IndexExtension = ".idx";
    private const string TempExtension = ".tmp";
    private const string RetiredExtension = ".deleted";

    private readonly string _root;
    private readonly string _logDirectory;
    private readonly string _indexDirectory;
    private readonly DirectoryLock _lock;

    private FileMedium(string root, DirectoryLock directoryLock)
    {
        _root = root;
        _lock = directoryLock;
        _logDirectory = Path.Combine(root, "log");
        _indexDirectory = Path.Combine(root, "index");
    }

    public bool IsPersistent => true;

    /// <summary>Takes the directory's lock, then tidies what a crash may have left half-made.</summary>
    public static FileMedium Open(string path)
    {
        var root = Path.GetFullPath(path);
        Directory.CreateDirectory(root);
        var directoryLock = DirectoryLock.Acquire(root);
        try
        {
            var medium = new FileMedium(root, directoryLock);
            Directory.CreateDirectory(medium._logDirectory);
            Directory.CreateDirectory(medium._indexDirectory);
            foreach (var directory in new[] { root, medium._logDirectory, medium._indexDirectory })
                foreach (var temp in Directory.EnumerateFiles(directory, "*" + TempExtension))
                    File.Delete(temp);
            medium.PurgeRetiredSegments();
            return medium;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    public IReadOnlyList<long> ListSegments()
    {
        var bases = new List<long>();
        foreach (var file in Directory.EnumerateFiles(_logDirectory, "*" + SegmentExtension))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var basePosition))
                bases.Add(basePosition);
        }
        return bases;
    }

    public string SegmentName(long basePosition) => Path.Combine("log", SegmentFile(basePosition));

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header)
    {
        var final = Path.Combine(_logDirectory, SegmentFile(basePosition));
        var temp = final + TempExtension;
        var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        var named = false;
        try
        {
            RandomAccess.SetLength(handle, capacity); // sparse: blocks are reserved as the log reaches them
            NativeFile.Reserve(handle, 0, header.Length);
            RandomAccess.Write(handle, header, 0);
            NativeFile.Sync(handle, SegmentName(basePosition));
            File.Move(temp, final);
            named = true;
            NativeFile.SyncDirectory(_logDirectory);
            return MappedFileRegion.Map(handle, capacity);
        }
        catch
        {
            // Nothing may stay behind under either name: a segment file no one maps would block
            // the next attempt at the same base ("already exists") until the store is reopened.
            handle.Dispose();
            File.Delete(named ? final : temp);
            throw;
        }
    }

    public MemoryRegion OpenSegment(long basePosition, long capacity)
    {
        var handle = File.OpenHandle(Path.Combine(_logDirectory, SegmentFile(basePosition)), FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length != capacity)
            {
                // Cut short (recovery has already judged what that lost): the missing tail reads as
                // zeros. Grown (a copy tool's crash, a careless `cat >>`): bytes past the capacity
                // were never part of the log, and a mapping of the capacity is what the log is.
                RandomAccess.SetLength(handle, capacity);
                if (length < capacity) NativeFile.ZeroRange(handle, length, capacity - length);
            }
            return MappedFileRegion.Map(handle, capacity);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int ReadSegmentStart(long basePosition, Span<byte> destination)
    {
        using var handle = File.OpenHandle(Path.Combine(_logDirectory, SegmentFile(basePosition)), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], total);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    public long SegmentFileLength(long basePosition) => new FileInfo(Path.Combine(_logDirectory, SegmentFile(basePosition))).Length;

    public void RetireSegments(IReadOnlyCollection<long> basePositions)
    {
        if (basePositions.Count == 0) return;
        foreach (var basePosition in basePositions)
        {
            var path = Path.Combine(_logDirectory, SegmentFile(basePosition));
            File.Move(path, path + RetiredExtension, overwrite: true);
        }
        NativeFile.SyncDirectory(_logDirectory);
    }

    public void PurgeRetiredSegments()
    {
        var any = false;
        foreach (var retired in Directory.EnumerateFiles(_logDirectory, "*" + SegmentExtension + RetiredExtension))
        {
            File.Delete(retired);
            any = true;
        }
        if (any) NativeFile.SyncDirectory(_logDirectory);
    }

    public void DeleteSegment(long basePosition)
    {
        File.Delete(Path.Combine(_logDirectory, SegmentFile(basePosition)));
        NativeFile.SyncDirectory(_logDirectory);
    }

    public void Reserve(MemoryRegion region, long offset, long length) =>
        NativeFile.Reserve(((MappedFileRegion)region).File, offset, length);

    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length) =>
        NativeFile.ZeroRange(((MappedFileRegion)region).File, offset, length);

    public string IndexChunkName(uint topicId, uint chunk) => Path.Combine("index", IndexFile(topicId, chunk));

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        var path = Path.Combine(_indexDirectory, IndexFile(topicId, chunk));
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        try
        {
            // Sparse; the writer reserves slots ahead of writing them (see Reserve).
            if (RandomAccess.GetLength(handle) != length) RandomAccess.SetLength(handle, length);
            return MappedFileRegion.Map(handle, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void DeleteIndexChunk(uint topicId, uint chunk) => File.Delete(Path.Combine(_indexDirectory, IndexFile(topicId, chunk)));

    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks()
    {
        var chunks = new List<(uint, uint)>();
        foreach (var file in Directory.EnumerateFiles(_indexDirectory, "*" + IndexExtension))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length == 17 && name[8] == '-'
                && uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var topic)
                && uint.TryParse(name.AsSpan(9, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chunk))
                chunks.Add((topic, chunk));
        }
        return chunks;
    }

    public void SyncIndexDirectory() => NativeFile.SyncDirectory(_indexDirectory);

    public byte[]? ReadCheckpoint(int slot)
    {
        var path = CheckpointPath(slot);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes)
    {
        var final = CheckpointPath(slot);
        var temp = final + TempExtension;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            NativeFile.Sync(handle, $"checkpoint.{slot}");
        }
        File.Move(temp, final, overwrite: true);
        NativeFile.SyncDirectory(_root);
    }

    public void Dispose() => _lock.Dispose();

    private string CheckpointPath(int slot) => Path.Combine(_root, $"checkpoint.{slot}");

    private static string SegmentFile(long basePosition) => basePosition.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    private static string IndexFile(uint topicId, uint chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{topicId:x8}-{chunk:x8}{IndexExtension}");
}
