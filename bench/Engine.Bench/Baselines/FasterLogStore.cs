using FASTER.core;
using Engine.Bench.Measuring;

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

    /// <summary>
    /// Reads every committed entry from the start, as a consumer that wants speed would: in place,
    /// through <c>UnsafeGetNext</c>, with no array per entry (the plain <c>GetNext</c> allocates a
    /// <c>byte[]</c> for each one). Sums one byte of each entry, as Engine's scans do of each body.
    /// </summary>
    public async Task<ScanTotals> ScanAllAsync()
    {
        var totals = new ScanTotals();
        using var iterator = Log.Scan(Log.BeginAddress, Log.TailAddress);
        while (true)
        {
            totals = ReadAvailable(iterator, totals);
            // UnsafeGetNext returns false both at the end and while a page is still being read from disk.
            if (!await iterator.WaitAsync()) break;
        }
        return totals;
    }

    /// <summary>Reads the entries that are ready; each is released right after its byte is read, as FASTER asks.</summary>
    private static unsafe ScanTotals ReadAvailable(FasterLogScanIterator iterator, ScanTotals totals)
    {
        // The entry's address (the id a FasterLog reader has) comes with it as a long: nothing to format.
        while (iterator.UnsafeGetNext(out var entry, out var length, out _, out _))
        {
            totals = totals.Add(new ReadOnlySpan<byte>(entry, length));
            iterator.UnsafeRelease();
        }
        return totals;
    }

    public void Dispose()
    {
        Log.Dispose();
        _device.Dispose();
    }
}
