using System.CommandLine;

namespace Engine.Host.Cli;

/// <summary>The <c>engine</c> command: every verb, built against one <see cref="CliIo"/> so tests can run it in-process.</summary>
internal static class EngineCli
{
    public static RootCommand Build(CliIo io) => new("""
        Engine: an embedded, multi-process log-processing engine.
        Verbs work on a store directory (--path DIR) or on a running host (--namespace NS / --socket URL).
        Exit codes: 0 done (verify: clean), 1 damage found or a bad command line, 2 the engine refused, 3 a host holds the store, 4 no host answers.
        """)
    {
        ServeCommand.Create(),
        DemoCommand.Create(),
        BridgeCommand.Create(),
        TopicsCommand.Create(io),
        ProcsCommand.Create(io),
        ProcsCommand.CreateInspect(io),
        ReadCommands.CreateTail(io),
        ReadCommands.CreateRange(io),
        CommitCommand.Create(io),
        WorkersCommand.Create(io),
        TopCommand.Create(io),
        OfflineCommands.CreateVerify(io),
        OfflineCommands.CreateDump(io),
        OfflineCommands.CreateRepair(io),
    };

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliIo io, CancellationToken ct = default) =>
        Build(io).Parse(args).InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Err }, ct);
}
