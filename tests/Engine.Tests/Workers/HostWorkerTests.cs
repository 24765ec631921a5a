using System.Text;
using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>The host process runs workers too: a client drops a DLL into the host's processors directory and sees it work.</summary>
public sealed class HostWorkerTests
{
    [Fact]
    public async Task A_spawned_host_runs_a_dropped_in_processor_in_its_workers()
    {
        using var dir = new TempDirectory();
        var processors = dir.Combine("processors");
        Directory.CreateDirectory(processors);
        await using var client = await LogClient.SpawnAsync(new SpawnOptions
        {
            Socket = $"unix://{dir.Combine("host.sock")}",
            Location = dir.Combine("store"),
            ProcessorsDirectory = processors,
            Workers = 2,
        });
        Samples.CopyTo("Increment", processors); // registers "increment": numbers -> incremented

        await client.CommitAsync([.. Enumerable.Range(0, 250).Select(i => new CommitLog("numbers", Encoding.UTF8.GetBytes($"{i}")))]);
        using var cts = new CancellationTokenSource(WorkerEngine.Guard);
        while (true)
        {
            try
            {
                await client.WaitForProcsAsync(["increment"], cts.Token);
                break;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
            {
                // The watcher has not registered it yet; registration happens in the host, out of reach of an event here.
                await Task.Delay(50, cts.Token);
            }
        }

        var outputs = await client.RangeAsync("incremented");
        Assert.Equal(Enumerable.Range(1, 250), outputs.Select(o => int.Parse(o.BodyText, System.Globalization.CultureInfo.InvariantCulture)).Order());
        var stats = await client.GetStatsAsync();
        Assert.Equal(2, stats.Workers.Count);
        await client.ShutdownAsync();
    }
}
