namespace Engine.Storage;

/// <summary>
/// One engine per store directory: an exclusive advisory lock (flock) on <c>LOCK</c>, held for the
/// engine's life. The OS drops it when the process dies, so a crash never leaves the store locked,
/// and a second opener, in this process or another, fails before touching any other file.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DirectoryLock(FileStream file) => _file = file;

    public static DirectoryLock Acquire(string root)
    {
        var path = Path.Combine(root, "LOCK");
        try
        {
            // FileShare.None is an exclusive flock on Unix: refused while anyone else holds it.
            return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new LogEngineException(LogEngineError.Locked, $"the store '{root}' is open in another engine (its LOCK file is held)", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
