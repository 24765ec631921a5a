using System.Globalization;

namespace Engine.Hosting;

/// <summary>
/// How many records a proc has not acked yet, from what the API offers today: the topic's last
/// position minus the proc's last acked position (ids are "ts-seq", seq the position). A proc
/// that never acked counts every record kept in the topic. (A ListProcsAsync/ProcInfo with the
/// index-computed lag is on its way; this is the stand-in.)
/// </summary>
internal static class ProcLag
{
    public static async ValueTask<long> OfAsync(ILogClient client, ProcState state, CancellationToken ct)
    {
        var last = await client.RevRangeAsync(state.Topic, new RangeOptions { Limit = 1 }, ct);
        if (last.Count == 0) return 0;
        var lastSeq = Seq(last[0].Id);
        if (string.IsNullOrEmpty(state.LastAckedRange)) return await client.LengthAsync(state.Topic, ct);
        var acked = state.LastAckedRange;
        var end = acked.LastIndexOf("..", StringComparison.Ordinal) is var dots and >= 0 ? acked[(dots + 2)..] : acked;
        return Math.Max(0, lastSeq - Seq(end));
    }

    private static long Seq(string id) => long.Parse(id.AsSpan(id.IndexOf('-', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
}
