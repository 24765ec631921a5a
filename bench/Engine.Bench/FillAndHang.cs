using Engine.Bench.Workloads;

namespace Engine.Bench;

/// <summary>
/// The hidden sub-command <c>fill-and-hang DIR N [SEGMENT_SIZE]</c> behind the SIGKILL cases of W7 and
/// W10 (<see cref="KilledWriter"/>): opens the store in DIR (empty or not), commits N more records,
/// prints <see cref="ReadyLine"/>, and waits with the store open until the parent kills it. If the
/// parent goes away instead, its standard input closes and this process exits (without closing the
/// store, which is a crash too), so no orphan is left waiting.
/// </summary>
internal static class FillAndHang
{
    public const string Command = "fill-and-hang";
    public const string ReadyLine = "ready";
    public const string Topic = "filled";

    public static async Task<int> RunAsync(string directory, int records, long? segmentSize)
    {
        var engine = LogEngine.Open(directory, BenchContext.EngineOptionsFor(Durability.Batched, segmentSize));
        await EngineFill.CommitAsync(engine, Topic, records, RecordBody.Create(BenchContext.BodySize));
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        GC.KeepAlive(engine);
        return 0;
    }
}
