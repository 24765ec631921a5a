using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Procs;

public sealed class ProcSmokeTests
{
    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Claim_ack_reclaim_and_timeout_follow_the_pipeproc_model(string kind)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        await using var engine = StoreKind.Named(kind).Open(dir, new LogEngineOptions { TimeProvider = clock });
        var ids = await engine.CommitAsync([.. Enumerable.Range(0, 5).Select(i => new CommitLog("t", new[] { (byte)i }))]);
        var options = new ProcOptions { Name = "p", Count = 2, ReclaimTimeout = TimeSpan.FromSeconds(5) };

        var first = await engine.ProcAsync("t", options);
        Assert.Equal(ids.Take(2), first.Select(e => e.Id));
        Assert.Empty(await engine.ProcAsync("t", options)); // claim open
        Assert.Equal($"{ids[0]}..{ids[1]}", await engine.ReclaimProcAsync("p"));
        Assert.Equal(ids.Take(2), (await engine.ProcAsync("t", options)).Select(e => e.Id));
        Assert.Equal($"{ids[0]}..{ids[1]}", await engine.AckAsync("p"));
        Assert.Equal(ids.Skip(2).Take(2), (await engine.ProcAsync("t", options)).Select(e => e.Id));

        clock.Advance(TimeSpan.FromSeconds(6)); // the claim times out
        var again = await engine.ProcAsync("t", options);
        Assert.Equal(ids.Skip(2).Take(2), again.Select(e => e.Id));
        var state = await engine.InspectProcAsync("p");
        Assert.Equal(1, state.Reclaims);
        var result = await engine.AckCommitAsync("p", [new CommitLog("out", "x"u8.ToArray())]);
        Assert.Equal($"{ids[2]}..{ids[3]}", result.AckedRange);
        Assert.Single(result.CommittedIds);
        Assert.Equal(0, (await engine.InspectProcAsync("p")).Reclaims);
    }
}
