using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>The verbs on a store directory (--path): commit, topics, range, tail, procs, inspect, and their JSON and exit codes.</summary>
public sealed class OfflineVerbTests
{
    [Fact]
    public async Task Commit_reads_stdin_a_record_a_line_and_topics_range_and_tail_read_them_back()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");

        var commit = await CliRun.RunWithInputAsync("one\ntwo\nthree\n", "commit", "words", "--path", store);
        Assert.Equal(0, commit.Code);
        var ids = commit.Lines();
        Assert.Equal(3, ids.Length);

        var topics = await CliRun.RunAsync("topics", "--path", store, "--json");
        Assert.Equal(0, topics.Code);
        var topic = JsonDocument.Parse(topics.Out).RootElement.EnumerateArray().Single();
        Assert.Equal(("words", 3, ids[0], ids[2]),
            (topic.GetProperty("name").GetString(), topic.GetProperty("length").GetInt64(), topic.GetProperty("firstId").GetString(), topic.GetProperty("lastId").GetString()));
        Assert.Contains("words", (await CliRun.RunAsync("topics", "--path", store)).Out);

        Assert.Equal([$"{ids[1]}\ttwo", $"{ids[2]}\tthree"], (await CliRun.RunAsync("range", "words", "--path", store, "--start", ":1")).Lines());
        Assert.Equal([$"{ids[2]}\tthree"], (await CliRun.RunAsync("range", "words", "--path", store, "--rev", "--limit", "1")).Lines());
        Assert.Equal([$"{ids[1]}\ttwo", $"{ids[2]}\tthree"], (await CliRun.RunAsync("tail", "words", "--path", store, "--lines", "2")).Lines());
        var json = (await CliRun.RunAsync("tail", "words", "--path", store, "--from", ids[1], "--json")).Lines();
        Assert.Equal(["two", "three"], json.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
        Assert.Equal("dHdv", JsonDocument.Parse(json[0]).RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Range_pages_through_more_records_than_one_request_holds()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await CliRun.RunWithInputAsync(string.Join('\n', Enumerable.Range(0, 2500)) + "\n", "commit", "n", "--path", store);

        var all = (await CliRun.RunAsync("range", "n", "--path", store)).Lines();
        var reversed = (await CliRun.RunAsync("range", "n", "--path", store, "--rev", "--end", ":5")).Lines();

        Assert.Equal(Enumerable.Range(0, 2500).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Select(l => l.Split('\t')[1]));
        Assert.Equal(2495, reversed.Length);
        Assert.EndsWith("\t5", reversed[^1]);
    }

    [Fact]
    public async Task Procs_and_inspect_show_lag_and_state()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await using (var engine = LogEngine.Open(store))
        {
            await engine.CommitAsync([.. Enumerable.Range(0, 4).Select(i => new CommitLog("t", "x"u8.ToArray()))]);
            await engine.ProcAsync("t", new ProcOptions { Name = "p", OnMaxReclaimsReached = OnMaxReclaims.DeadLetter });
            await engine.AckAsync("p");
        }

        var procs = await CliRun.RunAsync("procs", "--path", store, "--json");
        var inspect = await CliRun.RunAsync("inspect", "p", "--path", store, "--json");
        var table = await CliRun.RunAsync("inspect", "p", "--path", store);

        var proc = JsonDocument.Parse(procs.Out).RootElement.EnumerateArray().Single();
        Assert.Equal(("p", 3), (proc.GetProperty("name").GetString(), proc.GetProperty("lag").GetInt64()));
        Assert.Equal("p__dead", JsonDocument.Parse(inspect.Out).RootElement.GetProperty("deadLetterTopic").GetString());
        Assert.Contains("p__dead", table.Out);
    }

    [Fact]
    public async Task Errors_have_a_message_and_their_exit_code()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        await CliRun.RunWithInputAsync("a\n", "commit", "t", "--path", store);

        var unknownProc = await CliRun.RunAsync("inspect", "nobody", "--path", store);
        var unknownTopic = await CliRun.RunAsync("range", "nothing", "--path", store);
        var noStore = await CliRun.RunAsync("topics");
        var badJson = await CliRun.RunWithInputAsync("{\"ok\":1}\nnot json\n", "commit", "t", "--path", store, "--json-lines");
        var noHost = await CliRun.RunAsync("topics", "--socket", "unix://" + dir.Combine("nobody.sock"));

        Assert.Equal((2, true), (unknownProc.Code, unknownProc.Err.Contains("ProcNotFound", StringComparison.Ordinal)));
        Assert.Equal((2, true), (unknownTopic.Code, unknownTopic.Err.Contains("InvalidTopic", StringComparison.Ordinal)));
        Assert.Equal((2, true), (noStore.Code, noStore.Err.Contains("--path", StringComparison.Ordinal)));
        Assert.Equal((2, true), (badJson.Code, badJson.Err.Contains("line 2", StringComparison.Ordinal)));
        Assert.Equal((4, true), (noHost.Code, noHost.Err.Contains("engine serve", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_store_path_that_is_a_file_is_the_users_mistake_with_exit_code_2()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("plain.txt");
        await File.WriteAllTextAsync(file, "x");

        var topics = await CliRun.RunAsync("topics", "--path", file);
        var under = await CliRun.RunAsync("commit", "t", "--path", Path.Combine(file, "store"));

        Assert.Equal((2, true), (topics.Code, topics.Err.Contains("InvalidArgument", StringComparison.Ordinal)));
        Assert.Equal((2, true), (under.Code, under.Err.Contains("which is a file", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_verb_has_help_with_an_example()
    {
        foreach (var verb in new[] { "serve", "topics", "procs", "inspect", "tail", "range", "commit", "workers", "top", "verify", "dump", "repair" })
        {
            var help = await CliRun.RunAsync(verb, "--help");
            Assert.Equal(0, help.Code);
            Assert.Contains("Example: engine " + verb, help.Out);
        }
    }

    [Fact]
    public void Serve_takes_sizes_and_durations_with_units_and_refuses_nonsense()
    {
        var io = new Engine.Host.Cli.CliIo(new StringWriter(), new StringWriter(), new StringReader(""), false);
        var root = Engine.Host.Cli.EngineCli.Build(io);

        Assert.Empty(root.Parse(["serve", "--segment-size", "1MiB", "--flush-interval", "5ms", "--gc-min-prune", "1h", "--idle-timeout-ms", "20000"]).Errors);
        Assert.NotEmpty(root.Parse(["serve", "--segment-size", "lots"]).Errors);
        Assert.NotEmpty(root.Parse(["serve", "--flush-interval", "soon"]).Errors);
    }
}
