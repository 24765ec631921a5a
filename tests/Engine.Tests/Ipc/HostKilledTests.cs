using System.Collections.Concurrent;
using System.Text;
using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>
/// The host SIGKILLed under load: every call in flight and every later call fails with
/// ConnectionFailed (none hangs, none reports another error), and a new host on the same store
/// recovers it with every acknowledged commit.
/// </summary>
public sealed class HostKilledTests
{
    [Fact]
    public async Task Killing_the_host_fails_calls_with_ConnectionFailed_and_a_new_host_recovers_every_acknowledged_commit()
    {
        using var dir = new TempDirectory();
        var socketPath = IpcTest.NewSocketPath();
        var socket = "unix://" + socketPath;
        var acknowledged = new ConcurrentDictionary<string, string>();
        await using (var host = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Location = dir.Path }))
        {
            var client = host.Client;
            // Four committers pipelined on the spawner's connection, and a live proc waiting.
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var committers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
            {
                for (var n = 0; ; n++)
                {
                    var body = $"{c}-{n}";
                    var id = await client.CommitAsync("k", Encoding.UTF8.GetBytes(body));
                    acknowledged[id] = body;
                    if (acknowledged.Count >= 400) enough.TrySetResult();
                }
            })).ToList();
            await using var live = client.LiveProc("never");
            var waiting = Task.Run(async () =>
            {
                await foreach (var batch in live.ChangesAsync()) Assert.Fail("nothing was committed to 'never'");
            });
            await enough.Task.WaitAsync(IpcTest.Guard);

            host.Kill();

            foreach (var call in committers.Append(waiting))
            {
                var error = await Assert.ThrowsAsync<LogEngineException>(() => call.WaitAsync(IpcTest.Guard));
                Assert.Equal(LogEngineError.ConnectionFailed, error.Code);
            }
            await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await client.LengthAsync("k"));
            await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed,
                async () => await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = TimeSpan.FromMilliseconds(200) }));
        }
        Assert.True(File.Exists(socketPath), "the killed host's socket file is gone; the restart below does not meet a stale one");

        await using var recovered = await Spawned.StartAsync(new SpawnOptions { Socket = socket, Location = dir.Path });
        var stored = (await recovered.Client.RangeAsync("k")).ToDictionary(e => e.Id, e => e.BodyText);
        foreach (var (id, body) in acknowledged)
        {
            Assert.True(stored.TryGetValue(id, out var found), $"acknowledged commit {id} is lost");
            Assert.Equal(body, found);
        }
        await IpcTest.AssertServesAsync(recovered.Client);
        await recovered.Client.ShutdownAsync();
    }
}
