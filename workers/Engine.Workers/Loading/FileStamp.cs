namespace Engine.Workers.Loading;

/// <summary>
/// Identifies one version of a DLL file (its length and last write time): a worker holding a
/// processor loaded from an older stamp loads the file again before running the next batch.
/// </summary>
internal static class FileStamp
{
    public static long Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.LastWriteTimeUtc.Ticks ^ (info.Length << 40) ^ info.Length : 0;
    }
}
