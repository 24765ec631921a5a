using System.Text;
using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>
/// Clients of one host share its store: what one commits, the others read, and live procs wake
/// for commits made by other clients. One connection carries many requests at once.
/// </summary>
public sealed class MultiClientTests
{
    [Fact]
    public async Task Two_clients_of_a_spawned_host_see_each_others_commits()
    {
        using var dir = new TempDirectory();
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Location = dir.Path });
        var a = host.Client;
        await using var b = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard });

        var fromA = await a.CommitAsync([new CommitLog("shared", "a1"u8.ToArray()), new CommitLog("shared", "a2"u8.ToArray())]);
        Assert.Equal(fromA, (await b.RangeAsync("shared")).Select(e => e.Id));

        var fromB = await b.CommitAsync("shared", "b1"u8.ToArray());
        Assert.Equal(["a1", "a2", "b1"], (await a.RangeAsync("shared")).Select(e => e.BodyText));
        Assert.Equal(fromB, (await a.RevRangeAsync("shared", new RangeOptions { Limit = 1 }))[0].Id);
        Assert.Equal(3, await b.LengthAsync("shared"));
        await host.Client.ShutdownAsync();
    }

    [Fact]
    public async Task A_live_proc_on_one_client_is_woken_by_a_commit_from_another()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var a = await host.ConnectAsync();
        await using var b = await host.ConnectAsync();
        var first = await a.CommitAsync("events", "before"u8.ToArray());
        await using var live = b.LiveProc("events", LiveMode.All);
        using var guard = new CancellationTokenSource(IpcTest.Guard);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<string>();
        var consumer = Task.Run(async () =>
        {
            await foreach (var batch in live.ChangesAsync(guard.Token))
            {
                seen.AddRange(batch.Select(e => e.Id));
                await live.AckAsync(guard.Token);
                if (seen.Count == 1) waiting.SetResult(); // caught up: the next batch needs a new commit
                else return;
            }
        });

        await waiting.Task.WaitAsync(guard.Token);
        var second = await a.CommitAsync("events", "after"u8.ToArray());
        await consumer.WaitAsync(guard.Token);

        Assert.Equal([first, second], seen);
    }

    [Fact]
    public async Task Many_requests_in_flight_on_one_connection_each_get_their_own_answer()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var client = await host.ConnectAsync();
        const int Requests = 500;

        // Commits to ten topics and reads, all at once on one connection.
        var commits = Enumerable.Range(0, Requests)
            .Select(i => client.CommitAsync($"t{i % 10}", Encoding.UTF8.GetBytes($"body {i}")).AsTask())
            .ToArray();
        var ids = await Task.WhenAll(commits).WaitAsync(IpcTest.Guard);
        var reads = Enumerable.Range(0, Requests)
            .Select(i => client.RangeAsync($"t{i % 10}", new RangeOptions { Start = ids[i], End = ids[i] }).AsTask())
            .ToArray();
        var entries = await Task.WhenAll(reads).WaitAsync(IpcTest.Guard);

        for (var i = 0; i < Requests; i++)
            Assert.Equal($"body {i}", Assert.Single(entries[i]).BodyText);
        Assert.Equal(Requests, (await Task.WhenAll(Enumerable.Range(0, 10).Select(t => client.LengthAsync($"t{t}").AsTask()))).Sum());
    }
}
