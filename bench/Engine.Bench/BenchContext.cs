using System.Diagnostics;

namespace Engine.Bench;

/// <summary>
/// What every workload shares in one run: the size factor (<c>--quick</c> is 1/100), the record
/// body, and a scratch directory under which each workload makes its stores and which is
/// removed at the end, so a run leaves nothing behind.
/// </summary>
internal sealed class BenchContext : IDisposable
{
    /// <summary>Every workload writes bodies of this size (issue 6).</summary>
    public const int BodySize = 100;

    /// <summary>How long a workload repeats its untimed warm-up pass (once only under <c>--quick</c>).</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    private readonly string _scratchRoot;
    private int _nextDirectory;
    private bool _warmingUp;

    public BenchContext(bool quick, string? scratchParent, long? segmentSize, TextWriter progress)
    {
        Quick = quick;
        SegmentSize = segmentSize;
        Progress = progress;
        // A fresh folder per run even under a given parent, so two runs never share stores.
        var parent = scratchParent ?? Path.GetTempPath();
        _scratchRoot = Path.Combine(parent, $"engine-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_scratchRoot);
        Body = RecordBody.Create(BodySize);
    }

    public bool Quick { get; }

    /// <summary>The engine's segment size when <c>--segment-size</c> gave one; otherwise the engine's default.</summary>
    public long? SegmentSize { get; }

    public TextWriter Progress { get; }

    /// <summary>The 100-byte body every record carries.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The options every Engine store of the run is opened with: the engine's defaults but for these.</summary>
    public LogEngineOptions EngineOptions(Durability durability = Durability.Batched) =>
        EngineOptionsFor(durability, SegmentSize);

    public static LogEngineOptions EngineOptionsFor(Durability durability, long? segmentSize) =>
        segmentSize is { } size
            ? new LogEngineOptions { Durability = durability, SegmentSize = size }
            : new LogEngineOptions { Durability = durability };

    /// <summary>The size of a warm-up pass: 1/100 of the timed one, at least <paramref name="minimum"/>.</summary>
    public static int WarmUpSize(int records, int minimum = 100) => Math.Max(minimum, records / 100);

    /// <summary>
    /// Repeats an untimed pass for <see cref="WarmUpTime"/>, so tiered compilation has promoted the
    /// hot code of Engine and of the baselines alike before anything is timed: a single short pass
    /// leaves it at tier 0, and the first workload of a run then measures the JIT, not the engine.
    /// </summary>
    public async Task WarmUpAsync(Func<Task> pass)
    {
        _warmingUp = true;
        try
        {
            var started = Stopwatch.GetTimestamp();
            do await pass();
            while (!Quick && Stopwatch.GetElapsedTime(started) < WarmUpTime);
        }
        finally
        {
            _warmingUp = false;
        }
    }

    /// <summary>A workload's size: the figure, or 1/100 of it under <c>--quick</c>.</summary>
    public int Scale(int fullSize) => Quick ? Math.Max(1, fullSize / 100) : fullSize;

    /// <summary>A new, empty directory for one store (or one baseline's files).</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(_scratchRoot, $"{Interlocked.Increment(ref _nextDirectory):D2}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a directory as soon as its workload is done with it: the disk is shared.</summary>
    public static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // still in use (a killed child's files on some file systems); the run's cleanup retries
        }
    }

    public void Log(string message)
    {
        if (!_warmingUp) Progress.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {message}");
    }

    public void Dispose() => DeleteDirectory(_scratchRoot);
}
