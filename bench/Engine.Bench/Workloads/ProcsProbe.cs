namespace Engine.Bench.Workloads;

/// <summary>
/// Finds out whether this build of the engine has procs, by claiming once on a throwaway
/// in-memory store. Until procs land, the engine throws "... is not available in this build yet";
/// the proc workloads then report themselves skipped, and run unchanged once procs work.
/// </summary>
internal static class ProcsProbe
{
    public static async Task EnsureAvailableAsync(ReadOnlyMemory<byte> body)
    {
        await using var probe = LogEngine.OpenInMemory();
        await probe.CommitAsync("probe", body);
        try
        {
            await probe.ProcAsync("probe", new ProcOptions { Name = "probe" });
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.Internal && e.Message.Contains("not available", StringComparison.Ordinal))
        {
            throw new FeatureUnavailableException($"procs are not available in this build ({e.Message})");
        }
    }
}
