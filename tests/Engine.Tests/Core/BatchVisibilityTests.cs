using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>Readers never see part of a batch: every read is a whole number of batches with contiguous seqs.</summary>
public sealed class BatchVisibilityTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Readers_see_whole_batches_only(string kind)
    {
        await using var store = CoreStore.Open(kind);
        const int BatchSize = 10;
        const int Batches = 300;
        await store.Engine.CommitAsync([.. Enumerable.Range(0, BatchSize).Select(i => new CommitLog("t", new byte[] { (byte)i }))]);

        using var done = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            try
            {
                for (var b = 1; b < Batches; b++)
                {
                    await store.Engine.CommitAsync([.. Enumerable.Range(0, BatchSize).SelectMany(i => new[] { new CommitLog("t", new byte[] { (byte)i }), new CommitLog("u", new byte[] { (byte)i }) })]);
                }
            }
            finally
            {
                await done.CancelAsync();
            }
        });

        var reads = 0;
        while (!done.IsCancellationRequested || reads == 0)
        {
            var forward = await store.Engine.RangeAsync("t");
            Assert.Equal(0, forward.Count % BatchSize);
            Assert.Equal(Enumerable.Range(0, forward.Count).Select(i => $"-{i}"), forward.Select(e => e.Id[e.Id.IndexOf('-', StringComparison.Ordinal)..]));
            var length = await store.Engine.LengthAsync("t");
            Assert.Equal(0, length % BatchSize);
            var newest = await store.Engine.RevRangeAsync("t", new RangeOptions { Limit = 1 });
            Assert.Equal(BatchSize - 1, newest[0].Body.Span[0]);
            reads++;
        }
        await writer;
        Assert.Equal(Batches * BatchSize, await store.Engine.LengthAsync("t"));
        Assert.Equal((Batches - 1) * BatchSize, await store.Engine.LengthAsync("u"));
    }
}
