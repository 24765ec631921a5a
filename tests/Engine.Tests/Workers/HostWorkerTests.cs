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
        // The registration happens inside the host, out of reach of an event here; what it does is
        // not: its outputs, which a live proc on its output topic is handed as they are committed.
        await using var incremented = client.LiveProc("incremented", LiveMode.All, count: 250);
        Samples.CopyTo("Increment", processors); // registers "increment": numbers -> incremented

        await client.CommitAsync([.. Enumerable.Range(0, 250).Select(i => new CommitLog("numbers", Encoding.UTF8.GetBytes($"{i}")))]);
        using var cts = new CancellationTokenSource(WorkerEngine.Guard);
        var seen = 0;
        try
        {
            await foreach (var batch in incremented.ChangesAsync(cts.Token))
            {
                seen += batch.Count;
                await incremented.AckAsync(cts.Token);
                if (seen >= 250) break;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"the dropped-in processor committed {seen} of 250 outputs in {WorkerEngine.Guard}");
        }

        // Each output is committed with the ack of its input (AckCommit), so the proc has caught up.
        await client.WaitForProcsAsync(["increment"], cts.Token);
        var outputs = await client.RangeAsync("incremented");
        Assert.Equal(Enumerable.Range(1, 250), outputs.Select(o => int.Parse(o.BodyText, System.Globalization.CultureInfo.InvariantCulture)).Order());
        var stats = await client.GetStatsAsync();
        Assert.Equal(2, stats.Workers.Count);
        await client.ShutdownAsync();
    }
}
