using System.Diagnostics;
using Xunit.Abstractions;

namespace Engine.Tests.Damage;

/// <summary>Runs a list of damage cases and reports every failure at once, with a tally of outcomes.</summary>
internal static class DamageMatrix
{
    public static DamageStore Store(bool closedCleanly) => closedCleanly ? DamageStore.Clean : DamageStore.Crashed;

    public static async Task<Dictionary<DamageCheck.Outcome, int>> RunAsync(DamageStore store, List<DamageCase> cases, ITestOutputHelper output)
    {
        var failures = new List<string>();
        var tally = new Dictionary<DamageCheck.Outcome, int>();
        var elapsed = Stopwatch.StartNew();
        foreach (var damage in cases)
        {
            var found = new List<string>();
            var outcome = await DamageCheck.RunAsync(store, damage, found);
            if (found.Count > 0) failures.Add(found.Count == 1 ? found[0] : $"{found[0]} (and {found.Count - 1} more)");
            tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
        }
        var summary = $"{cases.Count} cases in {elapsed.Elapsed.TotalSeconds:F1} s: {string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"))}";
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} cases failed ({summary}):\n{string.Join("\n", failures.Take(60))}");
        return tally;
    }
}
