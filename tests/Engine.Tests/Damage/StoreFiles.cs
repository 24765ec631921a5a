namespace Engine.Tests.Damage;

/// <summary>
/// A store's files held in memory, to be copied fresh for every damage case. Files are mostly
/// preallocated zeros, so each is kept as its length and its non-zero prefix, and copies are
/// written sparse: hundreds of copies stay cheap.
/// </summary>
internal sealed class StoreFiles
{
    private readonly Dictionary<string, (long Length, byte[] Prefix)> _files;

    private StoreFiles(Dictionary<string, (long Length, byte[] Prefix)> files) => _files = files;

    /// <summary>Relative paths with '/' separators, as the engine names files in its messages.</summary>
    public IEnumerable<string> Names => _files.Keys.Order(StringComparer.Ordinal);

    public static StoreFiles Read(string root)
    {
        var files = new Dictionary<string, (long, byte[])>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "LOCK") continue;
            var bytes = File.ReadAllBytes(file);
            var prefix = bytes.AsSpan(0, bytes.AsSpan().LastIndexOfAnyExcept((byte)0) + 1).ToArray();
            files[Path.GetRelativePath(root, file).Replace('\\', '/')] = (bytes.Length, prefix);
        }
        return new StoreFiles(files);
    }

    /// <summary>
    /// Opens a store at <paramref name="root"/>, lets <paramref name="build"/> fill it, and reads its
    /// files: after a clean close, or while the engine is still open (what a SIGKILL at that moment
    /// leaves on disk), closing it afterwards either way.
    /// </summary>
    public static StoreFiles Image(string root, LogEngineOptions options, bool closeCleanly, Action<LogEngine> build)
    {
        var engine = LogEngine.Open(root, options);
        StoreFiles? files = null;
        try
        {
            build(engine);
            if (!closeCleanly) files = Read(root);
        }
        finally
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return files ?? Read(root);
    }

    public long LengthOf(string name) => _files[name].Length;

    /// <summary>The whole file (zeros after the prefix).</summary>
    public byte[] Bytes(string name)
    {
        var (length, prefix) = _files[name];
        var bytes = new byte[length];
        prefix.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Writes a fresh copy of every file into <paramref name="target"/>.</summary>
    public void CopyTo(string target)
    {
        foreach (var (name, (length, prefix)) in _files)
        {
            var path = Path.Combine(target, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            file.SetLength(length);
            file.Write(prefix);
        }
    }
}
