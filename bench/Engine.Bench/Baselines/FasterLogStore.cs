using FASTER.core;
using Engine.Bench.Measuring;

namespace Engine.Bench.Baselines;

/// <summary>
/// A FasterLog on the same disk as Engine's store (a directory under the run's scratch folder),
/// with FASTER's default page and memory sizes: the baseline as a user would first set it up,
/// plus the commit mode FASTER itself recommends for the load when a workload asks for it.
/// </summary>
internal sealed class FasterLogStore : IDisposable
{
    /// <summary>
    /// Under fast commit, how many commits share one commit metadata file: the default of Garnet,
    /// the server built on FASTER's log, which runs its append-only file in this mode.
    /// </summary>
    private const int FastCommitMetadataEvery = 1000;

    private readonly IDevice _device;
    private readonly ILogCommitManager? _commitManager;

    private FasterLogStore(IDevice device, ILogCommitManager? commitManager, FasterLog log)
    {
        _device = device;
        _commitManager = commitManager;
        Log = log;
    }

    public FasterLog Log { get; }

    /// <param name="directory">An empty directory for the log and its commit files.</param>
    /// <param name="autoCommit">
    /// Commit after every enqueue (FASTER merges concurrent commits): how durable single-record
    /// writers are meant to run, since <c>EnqueueAndWaitForCommitAsync</c> does not commit by itself.
    /// </param>
    /// <param name="fastCommit">
    /// <c>FastCommitMode</c>, FASTER's mode for many small durable commits (W2): a commit is a
    /// record in the log, and the separate commit metadata file need not be written each time.
    /// It takes two more settings to get that. FASTER documents fast commit as only possible with
    /// per-entry checksums (recovery scans forward for commit records and needs them to tell a
    /// torn entry), so those are turned on; FASTER does not check that the two go together. And
    /// FasterLog's own commit manager still writes a metadata file (create, synchronous write,
    /// delete the previous one) on every commit in this mode, so a commit manager that writes one
    /// every <see cref="FastCommitMetadataEvery"/> commits is given, as Garnet does.
    /// </param>
    public static FasterLogStore Create(string directory, bool autoCommit = false, bool fastCommit = false)
    {
        var device = Devices.CreateLogDevice(Path.Combine(directory, "hlog.log"));
        var commitManager = fastCommit
            ? new DeviceLogCommitCheckpointManager(new LocalStorageNamedDeviceFactory(), new DefaultCheckpointNamingScheme(directory),
                removeOutdated: true, fastCommitThrottleFreq: FastCommitMetadataEvery)
            : null;
        var settings = new FasterLogSettings
        {
            LogDevice = device,
            LogCommitDir = directory,
            LogCommitManager = commitManager,
            AutoCommit = autoCommit,
            FastCommitMode = fastCommit,
            LogChecksum = fastCommit ? LogChecksumType.PerEntry : LogChecksumType.None,
        };
        return new FasterLogStore(device, commitManager, new FasterLog(settings));
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
        // FasterLog disposes only the commit manager it made itself.
        _commitManager?.Dispose();
        _device.Dispose();
    }
}
