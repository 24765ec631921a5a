using System.Text.Json;
using Engine.Host.Cli;
using Engine.Ipc;
using Engine.Ipc.Hosting;
using Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engine.Tests.Cli;

/// <summary>The verbs against a running host (--socket), and a store a host holds refused by --path with a pointer to --namespace.</summary>
public sealed class OnlineVerbTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private static async Task<(EngineHost Host, string Socket)> StartHostAsync(TempDirectory dir)
    {
        var socket = "unix://" + dir.Combine("host.sock");
        var host = await EngineHost.StartAsync(new EngineHostOptions { Path = dir.Combine("store"), Socket = socket, Engine = new LogEngineOptions { Workers = 0 } }, NullLogger.Instance);
        return (host, socket);
    }

    [Fact]
    public async Task Verbs_ask_a_running_host_and_a_held_store_is_refused_by_path_with_a_hint()
    {
        using var dir = new TempDirectory();
        var (host, socket) = await StartHostAsync(dir);
        await using (host)
        {
            var commit = await CliRun.RunWithInputAsync("1\n2\n3\n", "commit", "n", "--socket", socket);
            var topics = await CliRun.RunAsync("topics", "--socket", socket, "--json");
            var range = await CliRun.RunAsync("range", "n", "--socket", socket, "--limit", "2");
            var workers = await CliRun.RunAsync("workers", "--socket", socket, "--json");
            var held = await CliRun.RunAsync("topics", "--path", dir.Combine("store"));
            var repairHeld = await CliRun.RunAsync("repair", "--path", dir.Combine("store"));
            var verifyHeld = await CliRun.RunAsync("verify", "--path", dir.Combine("store"));

            Assert.Equal(0, commit.Code);
            Assert.Equal(3, JsonDocument.Parse(topics.Out).RootElement.EnumerateArray().Single().GetProperty("length").GetInt64());
            Assert.Equal(2, range.Lines().Length);
            Assert.Equal(0, workers.Code);
            Assert.Equal(3, held.Code);
            Assert.Contains("--namespace", held.Err);
            Assert.Contains($"this process ({Environment.ProcessId}) holds its LOCK", held.Err); // names the holder
            Assert.Equal(3, repairHeld.Code);
            Assert.Contains($"this process ({Environment.ProcessId}) holds this store", verifyHeld.Err);
        }
    }

    [Fact]
    public async Task Tail_follow_prints_the_backlog_then_records_as_they_are_committed()
    {
        using var dir = new TempDirectory();
        var (host, socket) = await StartHostAsync(dir);
        await using (host)
        {
            await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket });
            await client.CommitAsync("t", "before"u8.ToArray());
            var output = new AwaitableWriter();
            using var stop = new CancellationTokenSource(Guard);
            var tail = EngineCli.RunAsync(["tail", "t", "-f", "--socket", socket], new CliIo(output, new StringWriter(), new StringReader(""), false), stop.Token);

            await output.WhenAsync(lines => lines.Any(l => l.EndsWith("\tbefore", StringComparison.Ordinal))).WaitAsync(Guard);
            await client.CommitAsync("t", "after"u8.ToArray());
            await output.WhenAsync(lines => lines.Any(l => l.EndsWith("\tafter", StringComparison.Ordinal))).WaitAsync(Guard);
            await stop.CancelAsync();

            Assert.Equal(0, await tail.WaitAsync(Guard));
            Assert.Equal(["before", "after"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[1]));
            Assert.Empty(await client.ListProcsAsync()); // the follower's live proc is gone with it
        }
    }

    [Fact]
    public async Task Top_once_shows_commits_per_second_topics_and_procs_with_lag()
    {
        using var dir = new TempDirectory();
        var (host, socket) = await StartHostAsync(dir);
        await using (host)
        {
            await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket });
            await client.CommitAsync([new CommitLog("busy", "1"u8.ToArray()), new CommitLog("busy", "2"u8.ToArray())]);
            await client.ProcAsync("busy", new ProcOptions { Name = "slow" });

            var top = await CliRun.RunAsync("top", "--once", "--interval", "50ms", "--socket", socket);

            Assert.Equal(0, top.Code);
            Assert.Contains("commits/s", top.Out);
            Assert.Contains("1 topics · 1 procs, 2 records behind", top.Out);
            Assert.Contains("slow", top.Out);
        }
    }

    [Fact]
    public async Task Procs_inspect_and_tail_ask_a_running_host()
    {
        using var dir = new TempDirectory();
        var (host, socket) = await StartHostAsync(dir);
        await using (host)
        {
            await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket });
            await client.CommitAsync([.. Enumerable.Range(0, 4).Select(i => new CommitLog("t", System.Text.Encoding.UTF8.GetBytes($"r{i}")))]);
            await client.ProcAsync("t", new ProcOptions { Name = "p" });
            await client.AckAsync("p");

            var procs = await CliRun.RunAsync("procs", "--socket", socket, "--json");
            var inspect = await CliRun.RunAsync("inspect", "p", "--socket", socket, "--json");
            var tail = await CliRun.RunAsync("tail", "t", "--socket", socket, "--lines", "2");

            Assert.Equal(("p", 3L), (JsonDocument.Parse(procs.Out).RootElement.EnumerateArray().Single().GetProperty("name").GetString(),
                JsonDocument.Parse(procs.Out).RootElement.EnumerateArray().Single().GetProperty("lag").GetInt64()));
            Assert.Equal(3, JsonDocument.Parse(inspect.Out).RootElement.GetProperty("lag").GetInt64());
            Assert.Equal(["r2", "r3"], tail.Lines().Select(l => l.Split('\t')[1]));
        }
    }

    [Fact]
    public async Task Procs_watch_draws_the_table_until_cancelled()
    {
        using var dir = new TempDirectory();
        var (host, socket) = await StartHostAsync(dir);
        await using (host)
        {
            await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket });
            await client.CommitAsync("t", "x"u8.ToArray());
            await client.ProcAsync("t", new ProcOptions { Name = "watched" });
            var output = new SignallingWriter("watched");
            using var stop = new CancellationTokenSource(Guard);
            var watch = EngineCli.RunAsync(["procs", "--watch", "--interval", "50ms", "--socket", socket], new CliIo(output, new StringWriter(), new StringReader(""), false), stop.Token);

            await output.Seen.WaitAsync(Guard);
            await stop.CancelAsync();

            Assert.Equal(0, await watch.WaitAsync(Guard));
            Assert.Contains("watched", output.ToString());
        }
    }

    /// <summary>A writer that signals once what was written contains a text (Spectre's live view writes in pieces, not lines).</summary>
    private sealed class SignallingWriter(string text) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            base.Write(buffer, index, count);
            Check();
        }

        private void Check()
        {
            if (!_seen.Task.IsCompleted && GetStringBuilder().ToString().Contains(text, StringComparison.Ordinal)) _seen.TrySetResult();
        }
    }
}
