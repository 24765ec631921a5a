using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Engine.Storage;

/// <summary>
/// A store directory opened read-only, for tools that only look (<c>engine topics --path</c> and
/// the like): nothing in the directory is written, created, truncated, renamed or deleted, so it
/// works on a read-only copy and leaves a store's bytes exactly as they were.
/// <para>
/// Recovery still runs as usual, over an overlay: files are mapped copy-on-write
/// (<see cref="PrivateMappedRegion"/>), so a cut tail or a rebuilt index lands in private memory;
/// created segments and index chunks, checkpoints and deletions live only in this object. A file
/// whose length is not what the log expects is mapped at the length expected, its missing tail
/// private zeros (<see cref="ResizedPrivateRegion"/>), since a file mapping cannot reach past a
/// file's end. <see cref="IsPersistent"/> is false, so no fsync or checkpoint loop
/// runs; <see cref="IsReadOnly"/> makes the store refuse every commit.
/// </para>
/// <para>
/// <c>LOCK</c> is taken shared (a flock is no write) when it exists: a host holding the store
/// makes this open fail with <see cref="LogEngineError.Locked"/>, and a host cannot start while a
/// tool reads. A store with no <c>LOCK</c> (a copy) is read without one.
/// </para>
/// </summary>
internal sealed class ReadOnlyFileMedium : IStorageMedium
{
    private readonly string _root;
    private readonly string _logDirectory;
    private readonly string _indexDirectory;
    private readonly FileStream? _lock;
    private readonly Lock _overlayLock = new();
    private readonly Dictionary<long, MemoryRegion> _createdSegments = [];
    private readonly HashSet<long> _deletedSegments = [];
    private readonly Dictionary<(uint, uint), MemoryRegion> _createdChunks = [];
    private readonly HashSet<(uint, uint)> _deletedChunks = [];
    private readonly byte[]?[] _checkpoints = new byte[2][];
    private readonly bool[] _checkpointWritten = new bool[2];

    private ReadOnlyFileMedium(string root, FileStream? directoryLock)
    {
        _root = root;
        _lock = directoryLock;
        _logDirectory = Path.Combine(root, "log");
        _indexDirectory = Path.Combine(root, "index");
    }

    public bool IsPersistent => false;

    public bool IsReadOnly => true;

    /// <summary>Opens an existing store directory; <see cref="LogEngineError.InvalidArgument"/> when there is none.</summary>
    public static ReadOnlyFileMedium Open(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"there is no store at '{path}' (no such directory)");
        if (!File.Exists(Path.Combine(root, "checkpoint.0")) && !File.Exists(Path.Combine(root, "checkpoint.1"))
            && !(Directory.Exists(Path.Combine(root, "log")) && Directory.EnumerateFiles(Path.Combine(root, "log"), "*.seg").Any()))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"'{path}' holds no store (no checkpoint.* and no log/*.seg)");
        return new ReadOnlyFileMedium(root, TakeShared(root));
    }

    private static FileStream? TakeShared(string root)
    {
        var path = Path.Combine(root, DirectoryLock.FileName);
        if (!File.Exists(path)) return null;
        try
        {
            // Read access with sharing is a shared flock on Unix: refused while a holder has it exclusively.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new LogEngineException(LogEngineError.Locked,
                $"the store '{root}' is open in another engine: {DirectoryLock.DescribeHolder(root)} holds its LOCK file", e);
        }
    }

    public IReadOnlyList<long> ListSegments()
    {
        var bases = new List<long>();
        if (Directory.Exists(_logDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(_logDirectory, "*.seg"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var basePosition))
                    bases.Add(basePosition);
            }
        }
        lock (_overlayLock)
        {
            bases.RemoveAll(_deletedSegments.Contains);
            bases.AddRange(_createdSegments.Keys.Where(b => !bases.Contains(b)));
        }
        return bases;
    }

    public string SegmentName(long basePosition) => Path.Combine("log", SegmentFile(basePosition));

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header)
    {
        var region = NativeMemoryRegion.Allocate(capacity);
        header.CopyTo(region.Slice(0, header.Length));
        lock (_overlayLock)
        {
            _createdSegments[basePosition] = region;
            _deletedSegments.Remove(basePosition);
        }
        return region;
    }

    public MemoryRegion OpenSegment(long basePosition, long capacity)
    {
        lock (_overlayLock)
            if (_createdSegments.TryGetValue(basePosition, out var created)) return created;
        return MapOrCopy(Path.Combine(_logDirectory, SegmentFile(basePosition)), capacity);
    }

    public int ReadSegmentStart(long basePosition, Span<byte> destination)
    {
        lock (_overlayLock)
        {
            if (_createdSegments.TryGetValue(basePosition, out var created))
            {
                var length = (int)Math.Min(destination.Length, created.Length);
                created.Slice(0, length).CopyTo(destination);
                return length;
            }
        }
        using var handle = OpenForReading(Path.Combine(_logDirectory, SegmentFile(basePosition)));
        return ReadAll(handle, destination, 0);
    }

    public long SegmentFileLength(long basePosition)
    {
        lock (_overlayLock)
            if (_createdSegments.TryGetValue(basePosition, out var created)) return created.Length;
        return new FileInfo(Path.Combine(_logDirectory, SegmentFile(basePosition))).Length;
    }

    public void RetireSegments(IReadOnlyCollection<long> basePositions)
    {
        foreach (var basePosition in basePositions) Forget(basePosition);
    }

    public void PurgeRetiredSegments()
    {
    }

    public void DeleteSegment(long basePosition) => Forget(basePosition);

    private void Forget(long basePosition)
    {
        lock (_overlayLock)
        {
            _createdSegments.Remove(basePosition);
            _deletedSegments.Add(basePosition);
        }
    }

    /// <summary>Zeros through the region itself: in private pages or memory, never in the file.</summary>
    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length) => region.Clear(offset, length);

    public void Reserve(MemoryRegion region, long offset, long length)
    {
    }

    public string IndexChunkName(uint topicId, uint chunk) => Path.Combine("index", IndexFile(topicId, chunk));

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        lock (_overlayLock)
        {
            if (_createdChunks.TryGetValue((topicId, chunk), out var created)) return created;
            var path = Path.Combine(_indexDirectory, IndexFile(topicId, chunk));
            if (!_deletedChunks.Contains((topicId, chunk)) && File.Exists(path)) return MapOrCopy(path, length);
            if (!create) return null;
            var region = NativeMemoryRegion.Allocate(length);
            _createdChunks[(topicId, chunk)] = region;
            _deletedChunks.Remove((topicId, chunk));
            return region;
        }
    }

    public void DeleteIndexChunk(uint topicId, uint chunk)
    {
        lock (_overlayLock)
        {
            _createdChunks.Remove((topicId, chunk));
            _deletedChunks.Add((topicId, chunk));
        }
    }

    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks()
    {
        var chunks = new List<(uint, uint)>();
        if (Directory.Exists(_indexDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(_indexDirectory, "*.idx"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (name.Length == 17 && name[8] == '-'
                    && uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var topic)
                    && uint.TryParse(name.AsSpan(9, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chunk))
                    chunks.Add((topic, chunk));
            }
        }
        lock (_overlayLock)
        {
            chunks.RemoveAll(_deletedChunks.Contains);
            chunks.AddRange(_createdChunks.Keys.Where(c => !chunks.Contains(c)));
        }
        return chunks;
    }

    public void SyncIndexDirectory()
    {
    }

    public byte[]? ReadCheckpoint(int slot)
    {
        lock (_overlayLock)
            if (_checkpointWritten[slot]) return _checkpoints[slot];
        var path = Path.Combine(_root, $"checkpoint.{slot}");
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes)
    {
        lock (_overlayLock)
        {
            _checkpoints[slot] = bytes.ToArray();
            _checkpointWritten[slot] = true;
        }
    }

    /// <summary>Regions are freed by their owners; the overlay's are among them.</summary>
    public void Dispose() => _lock?.Dispose();

    /// <summary>
    /// A file of exactly <paramref name="length"/> bytes is mapped privately; one cut short or grown
    /// is mapped into a region of that length, zeros after its end (see
    /// <see cref="ResizedPrivateRegion"/>), as <see cref="FileMedium"/> would fix the file itself up.
    /// Where that mapping is not supported, the file is copied into memory instead.
    /// </summary>
    private static MemoryRegion MapOrCopy(string path, long length)
    {
        var handle = OpenForReading(path);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength == length && length > 0) return PrivateMappedRegion.Map(handle, length);
            if (ResizedPrivateRegion.IsSupported && length > 0)
            {
                var resized = ResizedPrivateRegion.Map(handle, fileLength, length);
                handle.Dispose();
                return resized;
            }
            var region = NativeMemoryRegion.Allocate(length);
            try
            {
                for (long offset = 0; offset < length;)
                {
                    var chunk = (int)Math.Min(length - offset, 1 << 20);
                    var read = ReadAll(handle, region.Slice(offset, chunk), offset);
                    if (read < chunk) break;
                    offset += read;
                }
            }
            catch
            {
                region.Dispose();
                throw;
            }
            handle.Dispose();
            return region;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle OpenForReading(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static int ReadAll(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    private static string SegmentFile(long basePosition) => basePosition.ToString("D20", CultureInfo.InvariantCulture) + ".seg";

    private static string IndexFile(uint topicId, uint chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{topicId:x8}-{chunk:x8}.idx");
}
