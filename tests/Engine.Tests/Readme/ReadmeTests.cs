using System.Diagnostics;
using System.Text;
using Engine.Ipc;
using Engine.Tests.Support;

namespace Engine.Tests.Readme;

/// <summary>
/// Every C# block of the README compiles, and the runnable ones run: "A taste" is the Taste
/// sample app (run here), the other snippets are compiled in <see cref="ReadmeSnippets"/>, and the
/// processor DLL of "Writing a processor DLL" is built from the README's own text and dropped into
/// a running host.
/// </summary>
public sealed class ReadmeTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(120);

    private static string SourceOf(params string[] path) => File.ReadAllText(Path.Combine([Samples.RepositoryRoot(), .. path])).ReplaceLineEndings("\n");

    [Fact]
    public void Every_csharp_block_of_the_README_is_compiled_somewhere()
    {
        var taste = SourceOf("ipc", "Samples", "Taste", "Program.cs");
        var snippets = ReadmeText.Snippets(SourceOf("tests", "Engine.Tests", "Readme", "ReadmeSnippets.cs"));

        var uncompiled = new List<string>();
        foreach (var block in ReadmeText.Blocks().Where(b => b.Language == "csharp"))
        {
            if (block.Section == "A taste") Assert.Equal(taste, block.Code);
            else if (block.Section == "Writing a processor DLL") continue; // built by The_processor_DLL_of_the_README_builds_and_runs_in_a_host
            else if (snippets.TryGetValue(block.Section, out var snippet)) Assert.Equal(snippet, ReadmeText.Dedent(block.Code));
            else uncompiled.Add($"{block.Section}: {block.Code.Split('\n')[0]}");
        }
        Assert.True(uncompiled.Count == 0, "C# blocks that no test compiles (add them to ReadmeSnippets.cs):\n" + string.Join('\n', uncompiled));
        Assert.Equal(2, snippets.Count); // each snippet still has its README block
    }

    [Fact]
    public async Task A_taste_runs_and_prints_what_it_says()
    {
        using var dir = new TempDirectory();
        Samples.CopyTo("Increment", dir.Combine("processors")); // what "dotnet build workers/Samples/Increment -o processors" makes

        var (code, output) = await RunAsync(dir.Path, Path.Combine(Samples.OutputOfProject(Path.Combine("ipc", "Samples", "Taste")), "Taste.dll"));

        Assert.True(code == 0, output);
        Assert.Contains("2 more; latest: 2", output);
        Assert.Contains("live: 2 records", output);
        Assert.Contains("incremented: 2\n", output);
        Assert.Contains("incremented: 3\n", output);
    }

    [Fact]
    public async Task The_processor_DLL_of_the_README_builds_and_runs_in_a_host()
    {
        var section = ReadmeText.Blocks().Where(b => b.Section == "Writing a processor DLL").ToList();
        var project = section.Single(b => b.Language == "xml").Code;
        var source = section.Single(b => b.Language == "csharp").Code;
        Assert.Contains("<HintPath>path/to/Engine.Processors.dll</HintPath>", project);
        using var dir = new TempDirectory();
        var folder = dir.Combine("Shouter");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "Shouter.csproj"), project.Replace("path/to/Engine.Processors.dll", typeof(IProcessor).Assembly.Location, StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "ShoutProcessor.cs"), source);

        // (A build that hangs is stopped by RunAsync's guard, which fails with what it ran; a slow one is no failure.)
        var (code, output) = await RunAsync(folder, "build", "-c", "Release", "-o", "out", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(code == 0, output);
        Assert.False(File.Exists(Path.Combine(folder, "out", "Engine.Processors.dll")), "the DLL carries its own copy of the contract");

        var processors = dir.Combine("processors");
        Directory.CreateDirectory(processors);
        await using var client = await LogClient.SpawnAsync(new SpawnOptions
        {
            Socket = $"unix://{dir.Combine("host.sock")}",
            Location = dir.Combine("store"),
            ProcessorsDirectory = processors,
            Workers = 1,
        });
        await using var shouted = client.LiveProc("shouted", LiveMode.All, count: 10);
        foreach (var file in new[] { "Shouter.dll", "Shouter.deps.json" })
            File.Copy(Path.Combine(folder, "out", file), Path.Combine(processors, file));
        await client.CommitAsync([new CommitLog("words", "hello"u8.ToArray()), new CommitLog("words", "world"u8.ToArray())]);

        using var cts = new CancellationTokenSource(Guard);
        var seen = new List<string>();
        await foreach (var batch in shouted.ChangesAsync(cts.Token))
        {
            seen.AddRange(batch.Select(e => e.BodyText));
            await shouted.AckAsync();
            if (seen.Count >= 2) break;
        }
        Assert.Equal(["HELLO", "WORLD"], seen);
        await client.ShutdownAsync();
    }

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="directory"/>; the exit code and everything it printed.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // The test host's own MSBuild settings would steer a nested build to the wrong SDK parts.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList()) info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Guard);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} ran longer than {Guard}");
        }
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString().ReplaceLineEndings("\n"));
    }
}
