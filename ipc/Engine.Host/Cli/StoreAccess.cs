using System.CommandLine;
using Engine.Ipc;

namespace Engine.Host.Cli;

/// <summary>
/// How a verb reaches a store: <c>--path DIR</c> opens it in this process (with no workers and no
/// GC, so nothing runs but the verb; read-only, changing no byte, unless the verb writes),
/// <c>--namespace NS</c> or <c>--socket URL</c> asks the host
/// that serves it. A store a host holds cannot be opened by path: the message says so and names
/// the option to use instead.
/// </summary>
internal static class StoreAccess
{
    public static readonly Option<string?> Path = new("--path") { Description = "A store's directory, opened in this process (no host may hold it)" };
    public static readonly Option<string?> Namespace = new("--namespace", "-n") { Description = "Ask the host serving this namespace (engine serve --namespace)" };
    public static readonly Option<string?> Socket = new("--socket") { Description = "Ask the host at this address: unix:///path or tcp://host:port" };
    public static readonly Option<string?> Token = new("--token") { Description = "The host's shared secret, if it has one" };
    public static readonly Option<bool> Json = new("--json") { Description = "Write JSON for scripts instead of a table" };

    /// <summary>Adds the store options (and --json) to a verb.</summary>
    public static Command WithStoreOptions(this Command command, bool json = true)
    {
        command.Add(Path);
        command.Add(Namespace);
        command.Add(Socket);
        command.Add(Token);
        if (json) command.Add(Json);
        return command;
    }

    /// <summary>Opens what the options name, runs <paramref name="run"/> on it, and turns engine errors into messages and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult result, CliIo io, string verb, Func<ILogClient, Task<int>> run, CancellationToken ct, bool writes = false)
    {
        ILogClient client;
        try
        {
            client = await OpenAsync(result, writes, ct);
        }
        catch (LogEngineException e)
        {
            return Fail(io, verb, e, result.GetValue(Path));
        }
        await using (client)
        {
            try
            {
                return await run(client);
            }
            catch (LogEngineException e)
            {
                return Fail(io, verb, e, null);
            }
        }
    }

    /// <summary>The store the options name; by path, read-only unless <paramref name="writes"/>.</summary>
    public static async Task<ILogClient> OpenAsync(ParseResult result, bool writes, CancellationToken ct)
    {
        var path = result.GetValue(Path);
        var ns = result.GetValue(Namespace);
        var socket = result.GetValue(Socket);
        if (path is not null && (ns is not null || socket is not null))
            throw new LogEngineException(LogEngineError.InvalidArgument, "give either --path (a store on disk) or --namespace/--socket (a running host), not both");
        if (path is not null)
            return writes ? LogEngine.Open(path, new LogEngineOptions { Workers = 0, Gc = null }) : LogEngine.OpenReadOnly(path);
        if (ns is null && socket is null)
            throw new LogEngineException(LogEngineError.InvalidArgument, "say which store: --path DIR, or --namespace NS / --socket URL for a running host");
        return await LogClient.ConnectAsync(new ConnectOptions { Namespace = ns, Socket = socket, Token = result.GetValue(Token), Timeout = TimeSpan.FromSeconds(5) }, ct);
    }

    public static int Fail(CliIo io, string verb, LogEngineException e, string? path)
    {
        io.Err.WriteLine($"engine {verb}: {e.Code}: {e.Message}");
        switch (e.Code)
        {
            case LogEngineError.Locked:
                io.Err.WriteLine($"  A running host holds {(path is null ? "the store" : $"'{path}'")}: ask it instead, with --namespace NS (or --socket URL) as given to `engine serve`.");
                break;
            case LogEngineError.ConnectionFailed:
                io.Err.WriteLine("  No host answers there. Start one with `engine serve --path DIR --namespace NS`, or read a store that no host holds with --path DIR.");
                break;
        }
        return ExitCodes.Of(e.Code);
    }
}
