using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>Inline processors run in the calling process, in-process and over IPC alike.</summary>
public sealed class InlineProcessorTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_inline_processor_over_several_topics_commits_each_output_to_every_to_topic_once(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).Open(dir);
        var failedOnce = new HashSet<string>();
        await engine.SystemProcAsync(new SystemProcOptions
        {
            Name = "upper",
            From = ["a", "b"],
            To = ["x", "y"],
            Count = 3,
            MaxReclaims = -1,
            InlineProcessor = (logs, _) =>
            {
                // Throws the first time it sees "b2": the batch is reclaimed and retried.
                if (logs.Any(l => l.BodyText == "b2") && failedOnce.Add("b2")) throw new InvalidOperationException("once");
                return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([.. logs.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l.BodyText.ToUpperInvariant()))]);
            },
        });
        await engine.CommitAsync([.. Enumerable.Range(0, 10).Select(i => new CommitLog("a", Encoding.UTF8.GetBytes($"a{i}")))]);
        await engine.CommitAsync([.. Enumerable.Range(0, 10).Select(i => new CommitLog("b", Encoding.UTF8.GetBytes($"b{i}")))]);

        using var cts = new CancellationTokenSource(WorkerEngine.Guard);
        await engine.WaitForProcsAsync(["upper__a", "upper__b"], cts.Token);

        var expected = Enumerable.Range(0, 10).Select(i => $"A{i}").Concat(Enumerable.Range(0, 10).Select(i => $"B{i}")).Order().ToList();
        foreach (var topic in new[] { "x", "y" })
            Assert.Equal(expected, (await engine.RangeAsync(topic)).Select(e => e.BodyText).Order());
        Assert.Contains("b2", failedOnce);
    }
}
