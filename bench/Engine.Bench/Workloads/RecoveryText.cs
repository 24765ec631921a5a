namespace Engine.Bench.Workloads;

/// <summary>A <see cref="RecoveryReport"/> in one line, for the notes of the workloads that time an open.</summary>
internal static class RecoveryText
{
    public static string Describe(RecoveryReport r) =>
        $"CleanShutdown={r.CleanShutdown}, CheckpointGeneration={r.CheckpointGeneration}, ReplayedFrom={r.ReplayedFrom:N0}, " +
        $"ReplayedBytes={r.ReplayedBytes:N0}, ReplayedFrames={r.ReplayedFrames:N0}, CutAt={r.CutAt ?? "-"}, CutReason={r.CutReason ?? "-"}, " +
        $"CutDurableData={r.CutDurableData}, SegmentsDiscarded={r.SegmentsDiscarded}, " +
        $"RebuiltIndexes=[{string.Join(", ", r.RebuiltIndexes)}], Elapsed={r.Elapsed.TotalMilliseconds:N1} ms";
}
