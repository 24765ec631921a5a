namespace Engine.Bench.Workloads;

/// <summary>Every workload of issue 6 (and issue 3's W4L and W8, issue 11's W10), in the order the table shows them.</summary>
internal static class WorkloadRegistry
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new W1Append(),
        new W1bConcurrentAppend(),
        new W2DurableCommit(),
        new W3Scan(),
        new W4Procs(),
        new W4LLiveProc(),
        new W5Pipeline(),
        new W6Ipc(),
        new W7Open(),
        new W8GcStall(),
        new W9ManyTopics(),
        new W10Scale(),
    ];

    /// <summary>
    /// The workloads named on the command line (any case), or when none is named all of them but
    /// those that run at full size only when named (<see cref="Workload.FullSizeOnlyWhenNamed"/>).
    /// </summary>
    public static IReadOnlyList<Workload> Select(IReadOnlyList<string> names, bool quick)
    {
        if (names.Count == 0) return [.. All.Where(w => quick || !w.FullSizeOnlyWhenNamed)];
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
