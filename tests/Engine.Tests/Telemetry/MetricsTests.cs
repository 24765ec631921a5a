using Engine.Ipc;
using Engine.Ipc.Hosting;
using Engine.Tests.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Telemetry;

/// <summary>The engine's instruments move when the engine works (seen through a MeterListener).</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Commits_count_records_and_bytes_and_time_the_commit_and_the_fsync()
    {
        using var metrics = new MetricsRecorder();
        using var dir = new TempDirectory();
        await using var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0, Durability = Durability.Always });
        await engine.CommitAsync("t", new byte[100]);
        await engine.CommitAsync([new CommitLog("t", new byte[10]), new CommitLog("u", new byte[20])]);

        Assert.True(metrics.Sum("engine.commits") >= 2);
        Assert.True(metrics.Sum("messaging.client.sent.messages") >= 3);
        Assert.True(metrics.Sum("engine.committed.bytes") >= 130);
        Assert.True(metrics.Values("engine.commit.duration").Count >= 2);
        Assert.All(metrics.Values("engine.commit.duration"), s => Assert.InRange(s, 0, 60));
        Assert.NotEmpty(metrics.Values("engine.fsync.duration")); // Always: each commit waits for an fsync
    }

    [Fact]
    public async Task The_gauges_report_each_open_store_segments_and_bytes_and_forget_it_once_closed()
    {
        using var metrics = new MetricsRecorder();
        using var dir = new TempDirectory();
        var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0, SegmentSize = LogEngineOptions.MinSegmentSize });
        await engine.CommitAsync("t", new byte[1000]);
        Assert.Equal(1, metrics.Observe("engine.log.segments", dir.Path));
        Assert.Equal(LogEngineOptions.MinSegmentSize, metrics.Observe("engine.log.size", dir.Path));
        await engine.DisposeAsync();

        using var after = new MetricsRecorder();
        Assert.Null(after.Observe("engine.log.segments", dir.Path));
    }

    [Fact]
    public async Task Claims_acks_reclaims_and_gc_runs_are_counted()
    {
        using var metrics = new MetricsRecorder();
        await using var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        await engine.CommitAsync([.. Enumerable.Range(0, 4).Select(_ => new CommitLog("t", "x"u8.ToArray()))]);
        var options = new ProcOptions { Name = "p", Count = 2 };
        await engine.ProcAsync("t", options);
        await engine.ReclaimProcAsync("p");
        await engine.ProcAsync("t", options);
        await engine.AckAsync("p");
        await engine.CollectGarbageAsync();

        Assert.True(metrics.Sum("engine.proc.claims") >= 2);
        Assert.True(metrics.Sum("messaging.client.consumed.messages") >= 4);
        Assert.True(metrics.Sum("engine.proc.reclaims") >= 1);
        Assert.True(metrics.Sum("engine.proc.acks") >= 1);
        Assert.True(metrics.Sum("engine.gc.runs") >= 1);
    }

    [Fact]
    public async Task A_host_counts_its_connections_and_requests()
    {
        using var metrics = new MetricsRecorder();
        var socket = "unix://" + IpcTest.NewSocketPath();
        await using var host = await EngineHost.StartAsync(new EngineHostOptions { Memory = true, Socket = socket, Engine = new LogEngineOptions { Workers = 0 } });
        await using (var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, Timeout = IpcTest.Guard }))
        {
            await client.CommitAsync("t", "x"u8.ToArray());
            await client.LengthAsync("t");
        }
        Assert.True(metrics.Values("engine.ipc.connections").Count(v => v > 0) >= 1);
        Assert.True(metrics.Sum("engine.ipc.requests") >= 2);
    }
}
