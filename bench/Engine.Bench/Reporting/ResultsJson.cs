using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engine.Bench.Reporting;

/// <summary>
/// Writes a run as JSON under <c>bench/results/</c>, one file per run named by its start time
/// (UTC), so runs on the same machine can be compared later.
/// </summary>
internal static class ResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // A file for people and scripts, not HTML: keep "<", "+", "µ" and "≥" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public sealed record Run(
        DateTimeOffset StartedAt,
        bool Quick,
        IReadOnlyList<string> Arguments,
        string EngineVersion,
        string Runtime,
        string OperatingSystem,
        int ProcessorCount,
        IReadOnlyList<Outcome> Outcomes);

    public sealed record Outcome(
        string Workload, string Title, OutcomeStatus Status, string? Reason, double ElapsedSeconds,
        IReadOnlyList<Row> Measurements, IReadOnlyList<string> Notes);

    public sealed record Row(
        string Metric, string Unit, double Engine, string? Baseline, double? BaselineFigure, bool HigherIsBetter,
        double? Ratio, string? Target);

    /// <summary>Writes the file and returns its path.</summary>
    public static string Write(string directory, DateTimeOffset startedAt, bool quick, IReadOnlyList<string> arguments,
        IReadOnlyList<WorkloadOutcome> outcomes)
    {
        var run = new Run(
            startedAt,
            quick,
            arguments,
            typeof(LogEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            Environment.ProcessorCount,
            [.. outcomes.Select(o => new Outcome(o.Workload, o.Title, o.Status, o.Reason, Math.Round(o.Elapsed.TotalSeconds, 3),
                [.. o.Measurements.Select(m => new Row(m.Metric, m.Unit, m.Engine, m.BaselineName, m.Baseline, m.HigherIsBetter, m.Ratio, m.Target))],
                o.Notes))]);
        Directory.CreateDirectory(directory);
        var name = startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture) + (quick ? "-quick" : "") + ".json";
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(run, Options));
        return path;
    }
}
