using System.Diagnostics;
using Engine.Bench.Measuring;

namespace Engine.Bench.Workloads;

/// <summary>
/// Reads a topic in order as a consumer that does not hold the whole topic in memory would: pages
/// of 10,000 by position (<c>":seq"</c>). Of each record it uses what a consumer uses, its id and
/// its body: the id is read (Engine formats an id only when it is first read, so a scan that never
/// read one would skip work every real consumer does) and one byte of the body is summed.
/// </summary>
internal static class EngineScan
{
    public const int PageSize = 10_000;

    /// <summary>Reads records <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of the topic; checks it read exactly those.</summary>
    public static async Task<(TimeSpan Elapsed, ScanTotals Totals)> ReadAsync(LogEngine engine, string topic, long from, long count, string what)
    {
        var totals = new ScanTotals();
        long idChars = 0;
        var started = Stopwatch.GetTimestamp();
        while (totals.Records < count)
        {
            var next = from + totals.Records;
            var limit = (int)Math.Min(PageSize, count - totals.Records);
            var page = await engine.RangeAsync(topic, new RangeOptions { Start = $":{next}", Limit = limit });
            Expect.True(page.Count > 0 && page[^1].Id.EndsWith($"-{next + page.Count - 1}", StringComparison.Ordinal),
                $"{what}: the page from :{next} ends at the wrong record ({(page.Count > 0 ? page[^1].Id : "empty")})");
            for (var i = 0; i < page.Count; i++)
            {
                var entry = page[i];
                idChars += entry.Id.Length;
                totals = totals.Add(entry.Body.Span);
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Expect.Count($"{what}: records scanned", count, totals.Records);
        // Each id is "<ts>-<seq>", at least three characters: fewer means some were not read.
        Expect.True(idChars >= 3 * count, $"{what}: only {idChars:N0} id characters read for {count:N0} records");
        return (elapsed, totals);
    }
}
