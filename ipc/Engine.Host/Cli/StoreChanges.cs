using System.Threading.Channels;

namespace Engine.Host.Cli;

/// <summary>
/// Tells when any file of a store directory changes (inotify on Linux, through
/// <see cref="FileSystemWatcher"/>): a writer's frames are written to its segment with pwrite,
/// which the kernel reports, so no change is missed and nothing polls. Changes coalesce: one
/// pending notice stands for any number of them.
/// </summary>
internal sealed class StoreChanges : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public StoreChanges(string root)
    {
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => Notice();
        _watcher.Created += (_, _) => Notice();
        _watcher.Deleted += (_, _) => Notice();
        _watcher.Renamed += (_, _) => Notice();
        // Events lost to a full buffer are changes too: reading again finds whatever they were.
        _watcher.Error += (_, _) => Notice();
        _watcher.EnableRaisingEvents = true;
    }

    private void Notice() => _pending.Writer.TryWrite(true);

    /// <summary>Completes at the first change not yet taken by <see cref="Forget"/> or an earlier wait.</summary>
    public async Task NextAsync(CancellationToken ct) => await _pending.Reader.ReadAsync(ct);

    /// <summary>Drops the pending notice: the read about to start sees every change made so far.</summary>
    public void Forget() => _pending.Reader.TryRead(out _);

    public void Dispose() => _watcher.Dispose();
}
