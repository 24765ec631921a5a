using System.Collections.Concurrent;
using Engine.Workers.Loading;

namespace Engine.Workers.Supervision;

/// <summary>
/// DLL stamps for outgoing batches, looked up at most every quarter second per file: a replaced
/// DLL reaches workers within that time, without a file system call per batch.
/// </summary>
internal sealed class StampCache
{
    private const long RefreshMs = 250;
    private readonly ConcurrentDictionary<string, (long Stamp, long CheckedAt)> _stamps = new(StringComparer.Ordinal);

    public long Of(string processor)
    {
        var now = Environment.TickCount64;
        if (_stamps.TryGetValue(processor, out var known) && now - known.CheckedAt < RefreshMs) return known.Stamp;
        var stamp = FileStamp.Of(ProcessorSpec.Parse(processor, null).Path);
        _stamps[processor] = (stamp, now);
        return stamp;
    }

    /// <summary>Forgets a file's stamp (it changed), so the next batch reads it again.</summary>
    public void Invalidate(string path)
    {
        foreach (var key in _stamps.Keys)
            if (key.StartsWith(path, StringComparison.Ordinal)) _stamps.TryRemove(key, out _);
    }
}
