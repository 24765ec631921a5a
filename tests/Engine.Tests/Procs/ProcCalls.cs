namespace Engine.Tests.Procs;

/// <summary>Every proc call that takes a proc name, runnable by name so theories can cover them all.</summary>
internal static class ProcCalls
{
    /// <summary>The calls that name an existing proc (ProcAsync creates instead).</summary>
    public static readonly string[] ByName =
        ["InspectProcAsync", "DestroyProcAsync", "DisableProcAsync", "ResumeProcAsync", "AckAsync", "AckCommitAsync", "ReclaimProcAsync"];

    /// <summary>Runs <paramref name="operation"/> on <paramref name="procName"/>; AckCommitAsync commits one record to "out".</summary>
    public static async Task Run(ILogClient client, string operation, string procName, CancellationToken ct = default)
    {
        switch (operation)
        {
            case "InspectProcAsync": await client.InspectProcAsync(procName, ct); break;
            case "DestroyProcAsync": await client.DestroyProcAsync(procName, ct); break;
            case "DisableProcAsync": await client.DisableProcAsync(procName, ct); break;
            case "ResumeProcAsync": await client.ResumeProcAsync(procName, ct); break;
            case "AckAsync": await client.AckAsync(procName, ct); break;
            case "AckCommitAsync": await client.AckCommitAsync(procName, [new CommitLog("out", "o"u8.ToArray())], ct); break;
            case "ReclaimProcAsync": await client.ReclaimProcAsync(procName, ct); break;
            case "WaitForProcsAsync": await client.WaitForProcsAsync([procName], ct); break;
            case "ProcAsync": await client.ProcAsync("t", new ProcOptions { Name = procName }, ct); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }
}
