namespace Engine.Storage;

/// <summary>
/// Tells a wrong store path (the user's mistake) apart from a failing disk: a path that is a file,
/// or lies under one, and a directory this process may not enter or write are
/// <see cref="LogEngineError.InvalidArgument"/> with a message saying which, where the file system
/// alone would give a bare "Not a directory" or "Access denied" that looks like a broken store.
/// </summary>
internal static class StorePath
{
    private const int ReadOnlyFileSystem = 30; // EROFS, in HResult on Unix (see StorageFault)

    /// <summary>Refuses a path that is a file or lies under one, before anything is created.</summary>
    public static void RefuseFiles(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"the store path '{path}' is a file, not a directory");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
                throw new LogEngineException(LogEngineError.InvalidArgument, $"the store path '{path}' lies under '{parent}', which is a file, not a directory");
            if (Directory.Exists(parent)) return;
        }
    }

    /// <summary>Runs a step of opening a store, turning "permission denied" into the user's mistake it is.</summary>
    public static T Opening<T>(string path, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (IOException e) when (e.HResult == ReadOnlyFileSystem)
        {
            throw new LogEngineException(LogEngineError.InvalidArgument,
                $"the store '{path}' is on a read-only file system ({e.Message}): tools that only read (engine topics, range, verify...) can still look at it", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LogEngineException(LogEngineError.InvalidArgument,
                $"no permission to open the store '{path}' ({e.Message}): the directory and its files must be readable by this user (and writable, to write to it)", e);
        }
    }
}
