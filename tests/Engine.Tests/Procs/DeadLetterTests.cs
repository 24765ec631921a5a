using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// OnMaxReclaims.DeadLetter: the reclaim that reaches MaxReclaims (manual or automatic) moves the
/// claim to the dead-letter topic as DeadLetter JSON records, atomically with its ack, and the proc
/// goes on with the next records.
/// </summary>
public sealed class DeadLetterTests
{
    private static readonly ProcOptions Options = new() { Name = "p", Count = 2, MaxReclaims = 2, OnMaxReclaimsReached = OnMaxReclaims.DeadLetter };

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task The_reclaim_that_reaches_the_limit_moves_the_claim_to_the_dead_letter_topic_and_the_proc_goes_on(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);

        Assert.Equal(2, (await store.Engine.ProcAsync("t", Options)).Count);
        await store.Engine.ReclaimProcAsync("p");
        Assert.Equal(2, (await store.Engine.ProcAsync("t", Options)).Count);
        Assert.Equal($"{ids[0]}..{ids[1]}", await store.Engine.ReclaimProcAsync("p"));

        var dead = await store.Engine.RangeAsync("p__dead");
        Assert.Equal(2, dead.Count);
        var first = dead[0].BodyAs<DeadLetter>()!;
        Assert.Equal(("t", ids[0], "p", 2, (string?)null, "t 0"), (first.Topic, first.Id, first.Proc, first.Reclaims, first.Error, Encoding.UTF8.GetString(first.Body.Span)));
        Assert.Equal(ids[1], dead[1].BodyAs<DeadLetter>()!.Id);
        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal((ProcStatus.Active, 0, $"{ids[0]}..{ids[1]}", "p__dead"), (state.Status, state.Reclaims, state.LastAckedRange, state.DeadLetterTopic));

        var next = await store.Engine.ProcAsync("t", Options);
        Assert.Equal([ids[2]], FakeClockStore.IdsOf(next));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_claim_that_times_out_once_too_often_is_dead_lettered_and_the_next_claim_goes_past_it(string kind)
    {
        await using var store = ProcStore.Open(kind);
        var ids = await store.CommitAsync("t", 3);
        var options = Options with { Count = 1, DeadLetterTopic = "graveyard" };

        Assert.Single(await store.Engine.ProcAsync("t", options));
        store.Advance(TimeSpan.FromSeconds(11));
        Assert.Single(await store.Engine.ProcAsync("t", options)); // reclaimed automatically (1), claimed again
        store.Advance(TimeSpan.FromSeconds(11));

        var next = await store.Engine.ProcAsync("t", options); // reclaim 2 reaches the limit: dead-lettered, then the next record

        Assert.Equal([ids[1]], FakeClockStore.IdsOf(next));
        Assert.Equal([ids[0]], (await store.Engine.RangeAsync("graveyard")).Select(e => e.BodyAs<DeadLetter>()!.Id));
        Assert.Equal(0, (await store.Engine.InspectProcAsync("p")).Reclaims);
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task The_dead_letter_topic_and_strategy_survive_a_reopen(string kind)
    {
        await using var store = ProcStore.Open(kind);
        if (!store.Kind.IsPersistent) return;
        await store.CommitAsync("t", 2);
        var options = Options with { Count = 1, DeadLetterTopic = "graveyard" };
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");

        await store.ReopenAsync();

        var state = await store.Engine.InspectProcAsync("p");
        Assert.Equal((OnMaxReclaims.DeadLetter, "graveyard", 1), (state.OnMaxReclaimsReached, state.DeadLetterTopic, state.Reclaims));
        Assert.Single(await store.Engine.ProcAsync("t", options));
        await store.Engine.ReclaimProcAsync("p");
        Assert.Single(await store.Engine.RangeAsync("graveyard"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task A_dead_letter_topic_must_be_a_valid_name_and_not_the_procs_own_topic(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.ProcAsync("t", Options with { DeadLetterTopic = "t" }));
        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.ProcAsync("t", Options with { DeadLetterTopic = "bad\u0001" }));
        await ProcStore.ThrowsAsync(LogEngineError.InvalidArgument, async () => await store.Engine.ProcAsync("t", Options with { Name = new string('n', 252) }));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task An_inline_processor_that_always_throws_on_one_record_no_longer_stalls_the_pipeline(string kind)
    {
        await using var store = ProcStore.Open(kind);
        await store.Engine.CommitAsync([.. new[] { "a", "poison", "b" }.Select(s => new CommitLog("in", Encoding.UTF8.GetBytes(s)))]);

        await store.Engine.SystemProcAsync(new SystemProcOptions
        {
            Name = "upper",
            From = ["in"],
            To = ["out"],
            MaxReclaims = 3,
            OnMaxReclaimsReached = OnMaxReclaims.DeadLetter,
            InlineProcessor = (logs, _) => logs.Any(l => l.BodyText == "poison")
                ? throw new FormatException("cannot digest poison")
                : ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([.. logs.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l.BodyText.ToUpperInvariant()))]),
        });
        using var guard = new CancellationTokenSource(ProcStore.Guard);
        await store.Engine.WaitForProcsAsync(["upper"], guard.Token);

        Assert.Equal(["A", "B"], (await store.Engine.RangeAsync("out")).Select(e => e.BodyText));
        var dead = (await store.Engine.RangeAsync("upper__dead")).Single().BodyAs<DeadLetter>()!;
        Assert.Equal(("in", "upper", 3, "FormatException: cannot digest poison", "poison"),
            (dead.Topic, dead.Proc, dead.Reclaims, dead.Error, Encoding.UTF8.GetString(dead.Body.Span)));
        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("upper")).Status);
    }

    [Fact]
    public async Task A_DLL_processor_that_throws_on_one_record_sends_it_alone_to_the_dead_letter_topic_with_its_error()
    {
        // Two workers: a claim spans a batch per worker, and only the failing batch may be dead-lettered.
        await using var store = WorkerEngine.Open(workers: 2);
        var dll = Samples.CopyTo("Chaos", store.Processors);
        await store.Engine.CommitAsync([.. new[] { "a", "throw", "b", "c", "d" }.Select(s => new CommitLog("in", Encoding.UTF8.GetBytes(s)))]);

        await store.Engine.SystemProcAsync(new SystemProcOptions
        {
            Name = "chaos", From = ["in"], To = ["out"], Processor = dll, MaxReclaims = 2, OnMaxReclaimsReached = OnMaxReclaims.DeadLetter,
        });
        await store.WaitForProcsAsync("chaos");

        Assert.Equal(["a", "b", "c", "d"], await store.BodiesAsync("out"));
        var dead = (await store.Engine.RangeAsync("chaos__dead")).Single().BodyAs<DeadLetter>()!;
        Assert.Equal(("throw", "InvalidOperationException: chaos: throw"), (Encoding.UTF8.GetString(dead.Body.Span), dead.Error));
        Assert.Equal(ProcStatus.Active, (await store.Engine.InspectProcAsync("chaos")).Status);
    }
}
