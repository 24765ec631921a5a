using Engine.Host.Cli;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>
/// <c>engine tail -f --path</c>: follows a store no host holds, printing what the processes that
/// open it in turn commit. It holds the store only while it reads, waits for a writer to let go
/// (and says so), and refuses a store a host holds at the start, naming --namespace.
/// </summary>
public sealed class PathFollowTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Following_a_path_prints_the_backlog_then_what_a_writer_commits_once_it_lets_go()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        Assert.Equal(0, (await CliRun.RunWithInputAsync("before\n", "commit", "t", "--path", store)).Code);
        var output = new AwaitableWriter();
        var error = new AwaitableWriter();
        using var stop = new CancellationTokenSource(Guard);

        var tail = EngineCli.RunAsync(["tail", "t", "-f", "--path", store], new CliIo(output, error, new StringReader(""), false), stop.Token);

        await output.WhenAsync(lines => lines.Any(l => l.EndsWith("\tbefore", StringComparison.Ordinal))).WaitAsync(Guard);
        // The follower prints after closing the store, so a writer can open it now.
        await using (var writer = LogEngine.Open(store, new LogEngineOptions { Workers = 0 }))
        {
            await writer.CommitAsync("t", "after"u8.ToArray());
            await writer.CommitAsync("t", "again"u8.ToArray());
            // The writes woke the follower, which found the store held and waits for it.
            await error.WhenAsync(lines => lines.Any(l => l.Contains("holds the store; printing resumes when it lets go", StringComparison.Ordinal))).WaitAsync(Guard);
            Assert.DoesNotContain(output.ToString(), "after", StringComparison.Ordinal);
        }
        await output.WhenAsync(lines => lines.Any(l => l.EndsWith("\tagain", StringComparison.Ordinal))).WaitAsync(Guard);
        await stop.CancelAsync();

        Assert.Equal(0, await tail.WaitAsync(Guard));
        Assert.Equal(["before", "after", "again"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[1]));
    }

    [Fact]
    public async Task Following_a_path_a_host_holds_is_refused_with_the_option_to_ask_it()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await using var holder = LogEngine.Open(store, new LogEngineOptions { Workers = 0 });
        await holder.CommitAsync("t", "x"u8.ToArray());

        var result = await CliRun.RunAsync("tail", "t", "-f", "--path", store);

        Assert.Equal(3, result.Code);
        Assert.Contains("--namespace", result.Err, StringComparison.Ordinal);
        Assert.Contains($"this process ({Environment.ProcessId}) holds its LOCK", result.Err, StringComparison.Ordinal);
    }
}
