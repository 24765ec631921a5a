using FASTER.core;

namespace Engine.Bench.Baselines;

/// <summary>
/// A FasterLog on the same disk as Engine's store (a directory under the run's scratch folder),
/// with FASTER's default page and memory sizes: the baseline as a user would first set it up.
/// </summary>
internal sealed class FasterLogStore : IDisposable
{
    private readonly IDevice _device;

    private FasterLogStore(IDevice device, FasterLog log)
    {
        _device = device;
        Log = log;
    }

    public FasterLog Log { get; }

    /// <param name="directory">An empty directory for the log and its commit files.</param>
    /// <param name="autoCommit">
    /// Commit after every enqueue (FASTER merges concurrent commits): how durable single-record
    /// writers are meant to run, since <c>EnqueueAndWaitForCommitAsync</c> does not commit by itself.
    /// </param>
    public static FasterLogStore Create(string directory, bool autoCommit = false)
    {
        var device = Devices.CreateLogDevice(Path.Combine(directory, "hlog.log"));
        var settings = new FasterLogSettings
        {
            LogDevice = device,
            LogCommitDir = directory,
            AutoCommit = autoCommit,
        };
        return new FasterLogStore(device, new FasterLog(settings));
    }

    /// <summary>Reads every committed entry from the start, as a consumer would; returns how many and their bytes.</summary>
    public async Task<(long Entries, long Bytes)> ScanAllAsync()
    {
        long entries = 0, bytes = 0;
        using var iterator = Log.Scan(Log.BeginAddress, Log.TailAddress);
        while (true)
        {
            while (iterator.GetNext(out var entry, out var length, out _))
            {
                entries++;
                bytes += length;
                GC.KeepAlive(entry);
            }
            // GetNext returns false both at the end and while a page is still being read from disk.
            if (!await iterator.WaitAsync()) break;
        }
        return (entries, bytes);
    }

    public void Dispose()
    {
        Log.Dispose();
        _device.Dispose();
    }
}
