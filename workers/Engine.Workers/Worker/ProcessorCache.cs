using Engine.Workers.Loading;

namespace Engine.Workers.Worker;

/// <summary>
/// The processors a worker has loaded, by processor string. A batch that comes with a newer stamp
/// (the DLL was replaced) loads the file again and unloads the old context once no batch still
/// runs it.
/// </summary>
internal sealed class ProcessorCache
{
    private readonly Dictionary<string, Entry> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Lease Acquire(string processor, long stamp)
    {
        lock (_lock)
        {
            if (_loaded.TryGetValue(processor, out var entry) && entry.Stamp == stamp)
            {
                entry.Users++;
                return new Lease(this, processor, entry);
            }
            var loaded = ProcessorLoader.Load(ProcessorSpec.Parse(processor, null));
            if (entry is not null)
            {
                entry.Retired = true;
                if (entry.Users == 0) entry.Processor.Unload();
            }
            var fresh = new Entry(loaded, stamp) { Users = 1 };
            _loaded[processor] = fresh;
            return new Lease(this, processor, fresh);
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            if (--entry.Users == 0 && entry.Retired) entry.Processor.Unload();
        }
    }

    internal sealed class Entry(LoadedProcessor processor, long stamp)
    {
        public LoadedProcessor Processor { get; } = processor;
        public long Stamp { get; } = stamp;
        public int Users { get; set; }
        public bool Retired { get; set; }
    }

    /// <summary>One batch's use of a processor.</summary>
    public sealed class Lease(ProcessorCache cache, string processor, Entry entry) : IDisposable
    {
        public IProcessor Processor => entry.Processor.Instance;

        public string Name => processor;

        public void Dispose() => cache.Release(entry);
    }
}
