using System.Diagnostics;
using Engine.Bench.Measuring;
using Engine.Bench.Reporting;

namespace Engine.Bench.Workloads;

/// <summary>
/// W8 (issue 3): how long garbage collection stalls commits. A store with the GC on
/// (<see cref="GcOptions.MinPruneTime"/> 250 ms, no periodic run) is filled with 1,000,000 records;
/// a committer then commits single records to another topic, back to back, for the rest of the
/// run. Once the filled records are older than <c>MinPruneTime</c>,
/// <see cref="LogEngine.CollectGarbageAsync"/> runs and prunes them (and the committer's oldest),
/// deleting whole segments and compacting mostly dead ones. Reported: the longest single commit and
/// the p99 among the commits that overlapped the GC run, against the same committer's in a window
/// of the same length right after it (no GC: the machine's own noise), plus the GC's time and report.
/// </summary>
internal sealed class W8GcStall : Workload
{
    private const string FilledTopic = "w8-filled";
    private const string CommitterTopic = "w8-committer";
    private static readonly TimeSpan MinPruneTime = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MinimumBaselineWindow = TimeSpan.FromMilliseconds(100);

    public override string Name => "W8";

    public override string Title => "GC: longest commit stall while GC prunes 1,000,000 records under a back-to-back committer";

    public override async Task RunAsync(BenchContext context, WorkloadReport report)
    {
        var records = context.Scale(1_000_000);
        await context.WarmUpAsync(() => MeasureAsync(context, BenchContext.WarmUpSize(records, minimum: 1_000), "W8 warm-up"));
        var run = await MeasureAsync(context, records, "W8");

        report.Add("longest commit during GC", "µs", run.DuringGc.MaxMicroseconds,
            "same committer, no GC", run.WithoutGc.MaxMicroseconds, higherIsBetter: false, target: "≤ 5,000 µs, both (issue 11)");
        report.Add("commit p99 during GC", "µs", run.DuringGc.PercentileMicroseconds(99),
            "same committer, no GC", run.WithoutGc.PercentileMicroseconds(99), higherIsBetter: false);
        report.Add("commit p50 during GC", "µs", run.DuringGc.PercentileMicroseconds(50),
            "same committer, no GC", run.WithoutGc.PercentileMicroseconds(50), higherIsBetter: false);
        report.Add("GC run", "ms", run.GcTime.TotalMilliseconds, higherIsBetter: false);
        var gc = run.Report;
        report.Note($"W8 GcReport: RecordsPruned={gc.RecordsPruned:N0}, RecordsRelocated={gc.RecordsRelocated:N0}, " +
            $"SegmentsDeleted={gc.SegmentsDeleted}, IndexChunksDeleted={gc.IndexChunksDeleted}, BytesFreed={gc.BytesFreed:N0}, " +
            $"Elapsed={gc.Elapsed.TotalMilliseconds:N1} ms (CollectGarbageAsync returned after {run.GcTime.TotalMilliseconds:N1} ms)");
        report.Note($"W8 committer: {run.DuringGc.Count:N0} commits overlapped the GC run, {run.WithoutGc.Count:N0} in the " +
            $"{run.BaselineWindow.TotalMilliseconds:N0} ms window after it; {run.Commits:N0} in all. Latencies are bucketed to within 1.6% (the longest is exact).");
        report.Note($"W8 .NET runtime GC (not the engine's): during the GC run {run.RuntimeDuringGc}; in the window after it {run.RuntimeWithoutGc}.");
    }

    private sealed record Run(LatencyHistogram DuringGc, LatencyHistogram WithoutGc, TimeSpan GcTime, TimeSpan BaselineWindow, GcReport Report,
        long Commits, RuntimePauses RuntimeDuringGc, RuntimePauses RuntimeWithoutGc);

    /// <summary>
    /// The .NET runtime's own garbage collections (not the engine's) and the time they paused the
    /// process: a commit stall that matches one is the runtime's, whichever window it falls in.
    /// </summary>
    private readonly record struct RuntimePauses(TimeSpan Paused, int Gen0, int Gen1, int Gen2)
    {
        public static RuntimePauses Now() =>
            new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

        public static RuntimePauses operator -(RuntimePauses a, RuntimePauses b) =>
            new(a.Paused - b.Paused, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2);

        public override string ToString() =>
            $"paused {Paused.TotalMilliseconds:N1} ms in {Gen0} collections (gen1 {Gen1}, gen2 {Gen2})";
    }

    private static async Task<Run> MeasureAsync(BenchContext context, int records, string who)
    {
        var directory = context.NewDirectory("w8-engine");
        try
        {
            var options = context.EngineOptions() with { Gc = new GcOptions { MinPruneTime = MinPruneTime, Interval = TimeSpan.FromDays(1) } };
            await using var engine = LogEngine.Open(directory, options);
            context.Log($"{who}: filling {records:N0} records");
            await EngineFill.CommitAsync(engine, FilledTopic, records, context.Body);
            var filled = Stopwatch.GetTimestamp();

            var committer = new Committer(engine, context.Body);
            var committing = Task.Run(committer.RunAsync);
            try
            {
                // The committer runs (untimed) while the filled records age past MinPruneTime.
                var age = MinPruneTime + TimeSpan.FromMilliseconds(50) - Stopwatch.GetElapsedTime(filled);
                if (age > TimeSpan.Zero) await Task.Delay(age);

                context.Log($"{who}: GC while a committer commits single records");
                var runtimeBefore = RuntimePauses.Now();
                committer.Enter(Committer.DuringGc);
                var started = Stopwatch.GetTimestamp();
                var gc = await engine.CollectGarbageAsync();
                var gcTime = Stopwatch.GetElapsedTime(started);
                committer.Enter(Committer.AfterGc);
                var runtimeDuring = RuntimePauses.Now();
                var window = gcTime > MinimumBaselineWindow ? gcTime : MinimumBaselineWindow;
                await Task.Delay(window);
                committer.Enter(Committer.Stopped);
                var runtimeAfter = RuntimePauses.Now();
                await committing;

                Expect.True(gc.RecordsPruned >= records, $"{who}: GC pruned {gc.RecordsPruned:N0} records, fewer than the {records:N0} filled ones, all older than MinPruneTime");
                Expect.Count($"{who} filled records left after GC", 0, await engine.LengthAsync(FilledTopic));
                // The committer's oldest records may be pruned too: the rest must all be there.
                Expect.Count($"{who} committer's records kept plus pruned", committer.Commits,
                    await engine.LengthAsync(CommitterTopic) + gc.RecordsPruned - records);
                // Timing, not counts: at 1/100 size a GC of a few ms may pass while the committer is not
                // scheduled, so --quick (CI) does not insist; at full size the GC takes far longer.
                if (!context.Quick)
                {
                    Expect.True(committer.DuringGcLatency.Count > 0, $"{who}: no commit overlapped the GC run");
                    Expect.True(committer.WithoutGcLatency.Count > 0, $"{who}: no commit in the window after the GC run");
                }
                return new Run(committer.DuringGcLatency, committer.WithoutGcLatency, gcTime, window, gc, committer.Commits,
                    runtimeDuring - runtimeBefore, runtimeAfter - runtimeDuring);
            }
            finally
            {
                committer.Enter(Committer.Stopped);
                await committing;
            }
        }
        finally
        {
            BenchContext.DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Commits single records back to back until stopped, sorting each commit's latency by the phase
    /// it overlapped: any commit that was in flight while the GC ran counts as "during GC".
    /// </summary>
    private sealed class Committer(LogEngine engine, ReadOnlyMemory<byte> body)
    {
        public const int BeforeGc = 0;
        public const int DuringGc = 1;
        public const int AfterGc = 2;
        public const int Stopped = 3;

        private int _phase = BeforeGc;

        public LatencyHistogram DuringGcLatency { get; } = new();

        public LatencyHistogram WithoutGcLatency { get; } = new();

        public long Commits { get; private set; }

        public void Enter(int phase) => Volatile.Write(ref _phase, phase);

        public async Task RunAsync()
        {
            while (true)
            {
                var before = Volatile.Read(ref _phase);
                if (before == Stopped) return;
                var started = Stopwatch.GetTimestamp();
                await engine.CommitAsync(CommitterTopic, body);
                var ticks = Stopwatch.GetTimestamp() - started;
                Commits++;
                var after = Volatile.Read(ref _phase);
                if (before == DuringGc || after == DuringGc || (before == BeforeGc && after >= AfterGc)) DuringGcLatency.Record(ticks);
                else if (before == AfterGc) WithoutGcLatency.Record(ticks);
            }
        }
    }
}
