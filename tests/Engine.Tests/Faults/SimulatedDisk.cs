namespace Engine.Tests.Faults;

/// <summary>
/// A disk in memory that knows what a crash would keep. Names live in directories (<c>""</c>,
/// <c>log/</c>, <c>index/</c>); a name change is durable only once its directory is synced, and
/// file bytes only once the file is (see <see cref="SimFile"/>). <see cref="Crash"/> makes the
/// disk a machine would find after a power cut (or a process kill) at this instant.
/// </summary>
internal sealed class SimulatedDisk : IDisposable
{
    private readonly Dictionary<string, SimFile> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimFile> _durable = new(StringComparer.Ordinal);
    private readonly List<SimFile> _files = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Names(string directory)
    {
        lock (_lock) return [.. _live.Keys.Where(n => DirectoryOf(n) == directory)];
    }

    public IReadOnlyList<string> AllNames()
    {
        lock (_lock) return [.. _live.Keys.Order(StringComparer.Ordinal)];
    }

    public SimFile? Find(string name)
    {
        lock (_lock) return _live.GetValueOrDefault(name);
    }

    public SimFile Get(string name) => Find(name) ?? throw new FileNotFoundException($"{name} does not exist (simulated)", name);

    /// <summary>A new file under <paramref name="name"/> (replacing any), its name not yet durable.</summary>
    public SimFile Create(string name, long length, ReadOnlySpan<byte> durableContent = default)
    {
        var file = new SimFile(_lock, length, durableContent);
        lock (_lock)
        {
            _files.Add(file);
            _live[name] = file;
        }
        return file;
    }

    public void Rename(string from, string to)
    {
        lock (_lock)
        {
            if (!_live.Remove(from, out var file)) throw new FileNotFoundException($"{from} does not exist (simulated)", from);
            _live[to] = file;
        }
    }

    public void Delete(string name)
    {
        lock (_lock) _live.Remove(name);
    }

    /// <summary>A directory fsync that worked: its names as they are now are what a crash keeps.</summary>
    public void SyncDirectory(string directory)
    {
        lock (_lock)
        {
            foreach (var name in _durable.Keys.Where(n => DirectoryOf(n) == directory).ToList()) _durable.Remove(name);
            foreach (var (name, file) in _live.Where(e => DirectoryOf(e.Key) == directory)) _durable[name] = file;
        }
    }

    /// <summary>
    /// The disk after a crash now: for each name whose durable and live states differ, the mode
    /// decides which one survives; then each surviving file keeps the unsynced pages the mode lets it.
    /// </summary>
    public SimulatedDisk Crash(CrashMode mode, Random random)
    {
        lock (_lock)
        {
            var survivors = new Dictionary<string, SimFile>(StringComparer.Ordinal);
            foreach (var name in _live.Keys.Union(_durable.Keys))
            {
                var live = _live.GetValueOrDefault(name);
                var durable = _durable.GetValueOrDefault(name);
                var chosen = ReferenceEquals(live, durable) ? live : mode switch
                {
                    CrashMode.KeepAll => live,
                    CrashMode.DropUnsynced => durable,
                    _ => random.Next(2) == 0 ? live : durable,
                };
                if (chosen is not null) survivors[name] = chosen;
            }

            var after = new SimulatedDisk();
            var contents = new Dictionary<SimFile, byte[]>();
            foreach (var (name, file) in survivors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!contents.TryGetValue(file, out var bytes)) contents[file] = bytes = file.AfterCrash(mode, random);
                after.Create(name, file.Length, bytes);
            }
            after.SyncEverything();
            return after;
        }
    }

    /// <summary>A copy of this disk's live state, everything durable (to run one prepared disk many times).</summary>
    public SimulatedDisk Clone() => Crash(CrashMode.KeepAll, new Random(0));

    private void SyncEverything()
    {
        foreach (var file in _files) file.Sync();
        foreach (var directory in _live.Keys.Select(DirectoryOf).Distinct().ToList()) SyncDirectory(directory);
    }

    private static string DirectoryOf(string name) => name.LastIndexOf('/') is var slash and >= 0 ? name[..(slash + 1)] : "";

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var file in _files) file.Dispose();
            _files.Clear();
            _live.Clear();
            _durable.Clear();
        }
    }
}
