namespace Engine.Tests.Support;

/// <summary>
/// A store built by a fixed sequence of commits, with what each record must read back as. Copies
/// of its files are taken while the engine is open (a crash image: exactly what a SIGKILL would
/// leave, since the page cache survives the process) or after a clean close.
/// </summary>
public sealed class StoreImage : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreImage(int batches, bool closeCleanly, bool checkpointHalfway = false)
    {
        var engine = LogEngine.Open(_directory.Path, new LogEngineOptions { SegmentSize = 1024 * 1024 });
        try
        {
            for (var batch = 0; batch < batches; batch++)
            {
                if (checkpointHalfway && batch == batches / 2) engine.Store.WriteCheckpoint(clean: false);
                LastFrameStart = engine.Store.WrittenPosition;
                var logs = Enumerable.Range(0, 1 + (batch % 3))
                    .Select(i => new CommitLog(i % 2 == 0 ? "even" : "odd", Body(batch, i)))
                    .ToList();
                var ids = engine.CommitAsync(logs).AsTask().GetAwaiter().GetResult();
                for (var i = 0; i < ids.Count; i++) Expected.Add((logs[i].Topic, ids[i], logs[i].Body.ToArray(), batch));
                LastFrameEnd = engine.Store.WrittenPosition;
            }
            if (!closeCleanly) CopyFiles(_directory.Path, CrashImagePath);
        }
        finally
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (!closeCleanly)
        {
            Directory.Delete(_directory.Path, recursive: true);
            Directory.Move(CrashImagePath, _directory.Path);
        }
    }

    /// <summary>Every record: topic, id, body and the batch (commit call) it came from.</summary>
    public List<(string Topic, string Id, byte[] Body, int Batch)> Expected { get; } = [];

    /// <summary>Log positions of the last frame written.</summary>
    public long LastFrameStart { get; }

    public long LastFrameEnd { get; }

    public int Batches => Expected.Count == 0 ? 0 : Expected[^1].Batch + 1;

    private string CrashImagePath => _directory.Path + "-crash";

    /// <summary>
    /// A fresh copy of the image in <paramref name="target"/>. Files are mostly preallocated zeros,
    /// so only each file's non-zero prefix is written and the rest is left sparse: hundreds of
    /// copies per test stay cheap.
    /// </summary>
    public void CopyTo(string target)
    {
        _snapshot ??= Directory.EnumerateFiles(_directory.Path, "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) != "LOCK")
            .Select(file =>
            {
                var bytes = File.ReadAllBytes(file);
                var prefix = bytes.AsSpan(0, bytes.AsSpan().LastIndexOfAnyExcept((byte)0) + 1).ToArray();
                return (Path.GetRelativePath(_directory.Path, file), (long)bytes.Length, prefix);
            })
            .ToList();
        foreach (var (relative, length, prefix) in _snapshot)
        {
            var path = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            file.SetLength(length);
            file.Write(prefix);
        }
    }

    private List<(string Relative, long Length, byte[] Prefix)>? _snapshot;

    public static byte[] Body(int batch, int index)
    {
        var body = new byte[20 + (batch * 7 + index * 13) % 90];
        for (var i = 0; i < body.Length; i++) body[i] = (byte)(batch * 31 + index * 7 + i);
        return body;
    }

    private static void CopyFiles(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(source, target, StringComparison.Ordinal));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "LOCK") continue;
            File.Copy(file, file.Replace(source, target, StringComparison.Ordinal), overwrite: true);
        }
    }

    public void Dispose() => _directory.Dispose();
}
