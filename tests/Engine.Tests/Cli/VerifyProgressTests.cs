using Engine.Host.Offline;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// What verify's progress bar is fed: the bytes of segments checked so far, told from the threads
/// that check segments at once but never by two of them at the same time, rising to the total.
/// </summary>
public sealed class VerifyProgressTests
{
    [Fact]
    public async Task Progress_rises_one_call_at_a_time_to_the_bytes_checked()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await using (var engine = LogEngine.Open(store, new LogEngineOptions { SegmentSize = LogEngineOptions.MinSegmentSize }))
        {
            for (var i = 0; i < 40; i++) await engine.CommitAsync("t", new byte[100 * 1024]);
        }
        var told = new List<long>();
        var inside = 0;
        var overlapped = false;

        var report = Verifier.Run(Host.Offline.StoreFiles.Find(store), bytes =>
        {
            if (Interlocked.Increment(ref inside) > 1) overlapped = true;
            told.Add(bytes);
            Interlocked.Decrement(ref inside);
        });

        Assert.True(report.Clean);
        Assert.True(report.Segments >= 4, $"{report.Segments} segments: too few to check several at once");
        Assert.False(overlapped, "two threads told progress at once");
        Assert.Equal(told.Order(), told);
        Assert.Equal(report.Bytes, told[^1]);
    }
}
