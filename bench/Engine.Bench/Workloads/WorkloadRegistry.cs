namespace Engine.Bench.Workloads;

/// <summary>Every workload of issue 6, in the order the table shows them.</summary>
internal static class WorkloadRegistry
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new W1Append(),
        new W1bConcurrentAppend(),
        new W2DurableCommit(),
        new W3Scan(),
        new W4Procs(),
        // PENDING (issue 6): W5 needs Engine.Workers (worker processes running a processor DLL) and
        // WaitForProcsAsync; W6 needs Engine.Ipc.LogClient and a host. Replace each entry with a
        // workload class of its own once those types exist; do not fake them in-process.
        new PendingWorkload("W5", "pipeline: 100,000 records through a +1 processor DLL in 2 workers, Count 1 and 100",
            "needs Engine.Workers (processor DLLs in worker processes) and WaitForProcsAsync"),
        new PendingWorkload("W6", "IPC: W1b and W4 loops through LogClient against a host; round trips/s and p50",
            "needs Engine.Ipc.LogClient and a host process"),
        new W7Open(),
    ];

    /// <summary>The workloads named on the command line (any case), or all of them when none is named.</summary>
    public static IReadOnlyList<Workload> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All;
        var selected = new List<Workload>();
        foreach (var name in names)
        {
            var workload = All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"unknown workload '{name}'; known: {string.Join(' ', All.Select(w => w.Name))}");
            if (!selected.Contains(workload)) selected.Add(workload);
        }
        return selected;
    }
}
