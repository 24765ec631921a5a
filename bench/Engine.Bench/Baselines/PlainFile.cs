using System.Diagnostics;
using Engine.Bench.Measuring;

namespace Engine.Bench.Baselines;

/// <summary>
/// The machine's own write limits: the same bytes written sequentially with a plain FileStream in
/// 1 MiB blocks, and the latency of one small write plus fsync (the floor under any durable commit).
/// </summary>
internal static class PlainFile
{
    public const int BlockSize = 1024 * 1024;

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file in <paramref name="directory"/> in 1 MiB blocks.
    /// With <paramref name="fsyncEachBlock"/> every block is forced to disk before the next is
    /// written (the durable streaming rate); without, nothing is forced (the page-cache rate).
    /// </summary>
    public static TimeSpan SequentialWrite(string directory, byte[] bytes, bool fsyncEachBlock)
    {
        var path = Path.Combine(directory, fsyncEachBlock ? "plain-fsync.dat" : "plain.dat");
        // bufferSize 0: the blocks are already large, FileStream's own buffer would only add a copy.
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var started = Stopwatch.GetTimestamp();
        for (var offset = 0; offset < bytes.Length; offset += BlockSize)
        {
            stream.Write(bytes, offset, Math.Min(BlockSize, bytes.Length - offset));
            if (fsyncEachBlock) stream.Flush(flushToDisk: true);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        stream.Close();
        File.Delete(path);
        return elapsed;
    }

    /// <summary>Appends <paramref name="body"/> and fsyncs once per slot of <paramref name="latencies"/>, recording each.</summary>
    public static void WriteAndFsync(string directory, ReadOnlySpan<byte> body, LatencyRecorder latencies)
    {
        var path = Path.Combine(directory, "fsync-latency.dat");
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (var i = 0; i < latencies.Capacity; i++)
            {
                var started = Stopwatch.GetTimestamp();
                stream.Write(body);
                stream.Flush(flushToDisk: true);
                latencies.Record(i, started);
            }
        }
        File.Delete(path);
    }
}
