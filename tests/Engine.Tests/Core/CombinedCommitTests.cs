using System.Text;
using Engine.Log;
using Engine.Tests.LogLayer;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// Single commits that find the write lock busy wait in a queue and are written together, as one
/// frame, by whoever takes the lock next; each keeps its own id, order and outcome.
/// </summary>
public sealed class CombinedCommitTests
{
    private const int Waiting = 10;

    /// <summary>Holds the store's write lock on a thread of its own until disposed.</summary>
    private sealed class HeldWriteLock : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _holder;

        public HeldWriteLock(Store store)
        {
            using var held = new ManualResetEventSlim();
            _holder = new Thread(() => store.UnderWriteLock(() =>
            {
                held.Set();
                _release.Wait();
                return 0;
            }));
            _holder.Start();
            held.Wait();
        }

        public void Dispose()
        {
            _release.Set();
            _holder.Join();
        }
    }

    [Theory]
    [MemberData(nameof(StoreKind.Engines), MemberType = typeof(StoreKind))]
    public async Task Commits_that_find_the_lock_busy_are_written_as_one_frame_in_the_order_they_came(string kind)
    {
        await using var store = CoreStore.Open(kind);
        var engine = (LogEngine)store.Engine;
        await engine.CommitAsync("t", "first"u8.ToArray());
        var body = Encoding.UTF8.GetBytes("waiting-00");
        var before = engine.Store.WrittenPosition;

        var commits = new List<Task<string>>();
        using (new HeldWriteLock(engine.Store))
        {
            for (var i = 0; i < Waiting; i++) commits.Add(engine.CommitAsync("t", Encoding.UTF8.GetBytes($"waiting-{i:D2}")).AsTask());
            Assert.All(commits, c => Assert.False(c.IsCompleted, "a commit completed while the write lock was held"));
        }
        var ids = await Task.WhenAll(commits);

        Assert.Equal(Enumerable.Range(1, Waiting).Select(seq => $"1000-{seq}"), ids);
        // One frame: one header for all ten records, not ten.
        Assert.Equal(FrameHeader.Length + Waiting * RecordEntry.PaddedLength(body.Length), engine.Store.WrittenPosition - before);
        var read = await store.Engine.RangeAsync("t");
        Assert.Equal(["first", .. Enumerable.Range(0, Waiting).Select(i => $"waiting-{i:D2}")], read.Select(e => e.BodyText));
    }

    [Fact]
    public async Task Commits_waiting_on_a_busy_lock_for_new_topics_create_each_topic_once()
    {
        await using var store = CoreStore.Open("memory");
        var commits = new List<Task<string>>();
        using (new HeldWriteLock(((LogEngine)store.Engine).Store))
        {
            foreach (var topic in new[] { "a", "b", "a", "c", "b", "a" })
                commits.Add(store.Engine.CommitAsync(topic, Encoding.UTF8.GetBytes(topic)).AsTask());
        }
        Assert.Equal(["1000-0", "1000-0", "1000-1", "1000-0", "1000-1", "1000-2"], await Task.WhenAll(commits));
        Assert.Equal(3, await store.Engine.LengthAsync("a"));
        Assert.Equal(2, await store.Engine.LengthAsync("b"));
        Assert.Equal(1, await store.Engine.LengthAsync("c"));
    }

    [Fact]
    public async Task A_combined_frame_whose_append_fails_fails_every_commit_in_it_and_none_is_kept()
    {
        using var dir = new TempDirectory();
        var medium = FlakyMedium.Open(dir.Path);
        var engine = LogEngine.OpenOn(medium, new LogEngineOptions { Durability = Durability.Batched, Workers = 0 });
        await engine.CommitAsync("t", "kept"u8.ToArray());
        var commits = new List<Task<string>>();
        using (new HeldWriteLock(engine.Store))
        {
            for (var i = 0; i < Waiting; i++) commits.Add(engine.CommitAsync("t", new byte[500]).AsTask());
            medium.FailWrites = true;
        }
        foreach (var commit in commits)
        {
            var error = await Assert.ThrowsAsync<LogEngineException>(() => commit);
            Assert.Equal(LogEngineError.StoreFailed, error.Code);
        }
        medium.FailWrites = false;
        Assert.Equal(1, await engine.LengthAsync("t"));
        await engine.DisposeAsync();

        await using var reopened = LogEngine.Open(dir.Path);
        Assert.Equal(["kept"], (await reopened.RangeAsync("t")).Select(e => e.BodyText));
    }

    [Fact]
    public async Task Many_concurrent_callers_each_see_their_own_ids_increase_and_every_record_is_read_back_once()
    {
        await using var store = CoreStore.Open("memory");
        const int callers = 16, each = 500;
        var idsByCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < each; i++) ids.Add(await store.Engine.CommitAsync("t", Encoding.UTF8.GetBytes($"{caller}:{i}")));
            return ids;
        })));

        foreach (var ids in idsByCaller)
        {
            var seqs = ids.Select(id => long.Parse(id[(id.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(seqs.Order(), seqs);
        }
        var all = await store.Engine.RangeAsync("t");
        Assert.Equal(callers * each, all.Count);
        Assert.Equal(callers * each, all.Select(e => e.BodyText).Distinct().Count());
        var idOf = idsByCaller.SelectMany((ids, caller) => ids.Select((id, i) => (Body: $"{caller}:{i}", Id: id))).ToDictionary(p => p.Body, p => p.Id);
        Assert.All(all, e => Assert.Equal(idOf[e.BodyText], e.Id));
    }
}
