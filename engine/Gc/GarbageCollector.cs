using System.Diagnostics;
using Engine.Index;
using Engine.Log;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Gc;

/// <summary>
/// Prunes old records and gives their disk back. A run:
/// <list type="number">
/// <item>prunes each topic as far as age and its active procs allow (one small frame);</item>
/// <item>measures which records of which segments are still live;</item>
/// <item>copies the live records of mostly dead segments (at most a quarter live) forward, in
///   frames of at most 1 MiB so commits wait at most one such frame;</item>
/// <item>checkpoints twice, so that neither checkpoint slot needs the old segments any more;</item>
/// <item>deletes segments with nothing live and index chunks below every topic's first kept seq,
///   once no read can still be using them.</item>
/// </list>
/// Runs every <see cref="GcOptions.Interval"/> on the engine's clock, or on demand.
/// </summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private const double CompactWhenLiveAtMost = 0.25;
    private const int RelocationFrameBytes = 1024 * 1024;

    private readonly IGcStore _store;
    private readonly GcOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _running = new(1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly PeriodicTimer? _timer;

    public GarbageCollector(IGcStore store, GcOptions? options, ILogger logger)
    {
        _store = store;
        _options = options ?? new GcOptions();
        _logger = logger;
        // Created here, not in the loop: the interval counts from when the engine opened, also on a
        // test's fake clock that may move before the loop's task gets to run.
        _timer = options is null ? null : new PeriodicTimer(_options.Interval, _store.Clock);
        _loop = _timer is null ? Task.CompletedTask : Task.Run(LoopAsync);
    }

    /// <summary>Raised after every run (tests await it instead of guessing when a timed run is done).</summary>
    public event Action<GcReport>? Completed;

    public async Task<GcReport> RunAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var report = await Task.Run(Run, ct);
            Completed?.Invoke(report);
            return report;
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task LoopAsync()
    {
        using var timer = _timer!;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var report = await RunAsync(_stop.Token);
                    if (report.RecordsPruned > 0 || report.BytesFreed > 0)
                        _logger.GcRan(report.RecordsPruned, report.RecordsRelocated, report.SegmentsDeleted, report.IndexChunksDeleted, report.BytesFreed, report.Elapsed);
                }
                catch (Exception e) when (e is LogEngineException or IOException or UnauthorizedAccessException or IndexDamagedException)
                {
                    _logger.GcFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private GcReport Run()
    {
        var elapsed = Stopwatch.StartNew();
        var cutoff = _store.Clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.MinPruneTime.TotalMilliseconds;
        var before = _store.State.Topics.All.ToDictionary(t => t, t => t.FirstSeq);
        var prune = new PruneOperation(_store, cutoff);
        _store.CommitFrame(prune);
        var pruned = prune.Prunes.Sum(p => p.FirstKept - before[p.Topic]);

        var relocated = Compact();
        var (segments, chunks, bytes) = Reclaim();
        Telemetry.EngineMetrics.GcRuns.Add(1);
        Telemetry.EngineMetrics.GcFreedBytes.Add(bytes);
        return new GcReport
        {
            RecordsPruned = pruned,
            RecordsRelocated = relocated,
            SegmentsDeleted = segments,
            IndexChunksDeleted = chunks,
            BytesFreed = bytes,
            Elapsed = elapsed.Elapsed,
        };
    }

    /// <summary>Copies the live records of mostly dead segments forward; returns how many.</summary>
    private long Compact()
    {
        List<Segment> candidates;
        var tail = _store.TailSegment;
        using (_store.EnterReadGate())
        {
            var occupancy = SegmentOccupancy.Measure(_store);
            candidates = [.. _store.Segments.Snapshot.Where(s => s != tail && s.BasePosition < tail.BasePosition)
                .Where(s => occupancy.LiveIn(s) is var (records, bytes) && records > 0 && bytes <= s.Capacity * CompactWhenLiveAtMost)];
        }
        if (candidates.Count == 0) return 0;

        var set = candidates.ToHashSet();
        var batch = new List<RelocatedRecord>();
        var batchBytes = 0L;
        long relocated = 0;
        using var arena = new CopyArena();
        foreach (var record in CopyLiveRecords(set, arena))
        {
            batch.Add(record);
            batchBytes += record.Body.Length;
            if (batchBytes < RelocationFrameBytes) continue;
            relocated += Relocate(batch);
            batch.Clear();
            batchBytes = 0;
        }
        if (batch.Count > 0) relocated += Relocate(batch);
        return relocated;
    }

    private List<RelocatedRecord> CopyLiveRecords(HashSet<Segment> segments, CopyArena arena)
    {
        var copies = new List<RelocatedRecord>();
        using (_store.EnterReadGate())
        {
            foreach (var (segment, topic, seq, _) in SegmentOccupancy.LiveRecords(_store, segments.Contains))
            {
                var (position, timestamp) = topic.Index.Get(seq);
                if (!RecordEntry.TryVerify(segment.From(position), topic.Id, seq, timestamp, out var body, out var error))
                    throw new LogEngineException(LogEngineError.Corrupted, $"GC found topic '{topic.Name}' seq {seq} damaged: {error}");
                copies.Add(new RelocatedRecord(topic.Id, seq, timestamp, arena.Copy(body)));
            }
        }
        return copies;
    }

    private int Relocate(List<RelocatedRecord> records)
    {
        var operation = new RelocateOperation(_store, records);
        _store.CommitFrame(operation);
        return operation.Kept;
    }

    /// <summary>
    /// Deletes segments with nothing live (any of them, not only the oldest: a slow proc may pin
    /// that one for as long as it likes) and index chunks below every topic's first kept seq,
    /// mapped or left unmapped by an earlier run a crash stopped, in the stages
    /// <see cref="IGcStore.Retire"/> describes.
    /// </summary>
    private (int Segments, int Chunks, long Bytes) Reclaim()
    {
        var tail = _store.TailSegment;
        List<Segment> dead;
        using (_store.EnterReadGate())
        {
            var occupancy = SegmentOccupancy.Measure(_store);
            dead = [.. _store.Segments.Snapshot.Where(s => s.BasePosition < tail.BasePosition && occupancy.LiveIn(s).Records == 0)];
        }
        var (segments, chunks, stale) = _store.Retire(dead);
        if (segments.Count == 0 && chunks.Count == 0 && stale.Count == 0) return (0, 0, 0);
        try
        {
            // Both slots must stop listing (and needing) what goes before any file goes.
            _store.WriteCheckpoint(clean: false);
            _store.WriteCheckpoint(clean: false);
        }
        catch
        {
            _store.Abandon(segments, chunks);
            throw;
        }
        _store.Free(segments, chunks, stale);
        var chunkCount = chunks.Count + stale.Count;
        return (segments.Count, chunkCount, segments.Sum(s => s.Capacity) + chunkCount * TopicIndex.ChunkFileLength);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _running.WaitAsync(); // let a run in progress finish
        _running.Dispose();
        _stop.Dispose();
    }
}
