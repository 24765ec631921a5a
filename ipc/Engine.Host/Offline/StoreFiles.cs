using System.Globalization;

namespace Engine.Host.Offline;

/// <summary>
/// The files of a store directory (format-spec.md section 2), found by name without opening the
/// store: the checkpoint slots, the segments in log order, and the index chunks by topic and chunk.
/// </summary>
internal sealed class StoreFiles
{
    private StoreFiles(string root) => Root = root;

    public string Root { get; }

    public List<string> Checkpoints { get; } = [];

    /// <summary>Segment files by base position, rising.</summary>
    public SortedDictionary<long, string> Segments { get; } = [];

    /// <summary>Index chunk files by (topic id, chunk number).</summary>
    public Dictionary<(uint Topic, uint Chunk), string> IndexChunks { get; } = [];

    /// <summary>Lists a store's files; <see cref="LogEngineError.InvalidArgument"/> if the folder holds no store.</summary>
    public static StoreFiles Find(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root)) throw new LogEngineException(LogEngineError.InvalidArgument, $"there is no folder '{path}'");
        var files = new StoreFiles(root);
        files.Checkpoints.AddRange(Directory.EnumerateFiles(root, "checkpoint.*").Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Order());
        var log = Path.Combine(root, "log");
        if (Directory.Exists(log))
        {
            foreach (var file in Directory.EnumerateFiles(log, "*.seg"))
                if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var basePosition))
                    files.Segments[basePosition] = file;
        }
        var index = Path.Combine(root, "index");
        if (Directory.Exists(index))
        {
            foreach (var file in Directory.EnumerateFiles(index, "*.idx"))
            {
                var parts = Path.GetFileNameWithoutExtension(file).Split('-');
                if (parts.Length == 2
                    && uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var topic)
                    && uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var chunk))
                    files.IndexChunks[(topic, chunk)] = file;
            }
        }
        if (files.Checkpoints.Count == 0 && files.Segments.Count == 0)
            throw new LogEngineException(LogEngineError.InvalidArgument, $"'{path}' holds no store (no checkpoint.* and no log/*.seg)");
        return files;
    }

    /// <summary>
    /// Whether an engine (a running host) holds the store's LOCK right now: taking the lock for a
    /// moment and letting it go tells, without reading or changing anything else.
    /// </summary>
    public bool IsHeld()
    {
        var path = Path.Combine(Root, "LOCK");
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>A file's path relative to the store, as problems name it.</summary>
    public string Relative(string file) => Path.GetRelativePath(Root, file);
}
