namespace Engine.Bench.Reporting;

/// <summary>
/// What a workload hands back while it runs: rows for the table and free-text notes (W7's
/// recovery report, say). Filled as it goes, so a workload that fails half-way still shows the
/// figures it had measured.
/// </summary>
internal sealed class WorkloadReport(string workload)
{
    private readonly List<Measurement> _measurements = [];
    private readonly List<string> _notes = [];

    public string Workload { get; } = workload;

    public IReadOnlyList<Measurement> Measurements => _measurements;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Adds a row comparing Engine's figure with a baseline's (or with none).</summary>
    public void Add(string metric, string unit, double engine, string? baselineName = null, double? baseline = null,
        bool higherIsBetter = true, string? target = null) =>
        _measurements.Add(new Measurement(Workload, metric, unit, engine, baselineName, baseline, higherIsBetter, target));

    public void Note(string note) => _notes.Add(note);
}
