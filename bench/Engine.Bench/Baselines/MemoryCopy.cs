using System.Diagnostics;

namespace Engine.Bench.Baselines;

/// <summary>The machine's read limit for W3: copying the same bytes from one buffer to another.</summary>
internal static class MemoryCopy
{
    public static TimeSpan Copy(byte[] source)
    {
        var destination = GC.AllocateUninitializedArray<byte>(source.Length);
        destination.AsSpan().Clear(); // touch the pages first, so the copy does not time page faults
        var started = Stopwatch.GetTimestamp();
        source.AsSpan().CopyTo(destination);
        var elapsed = Stopwatch.GetElapsedTime(started);
        GC.KeepAlive(destination);
        return elapsed;
    }
}
