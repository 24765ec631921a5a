using System.CommandLine;
using System.Runtime.InteropServices;
using Engine.Bridge.Nats;
using Engine.Ipc;
using Microsoft.Extensions.Logging;

namespace Engine.Host;

/// <summary>
/// <c>engine bridge nats</c>: runs a <see cref="NatsBridge"/> over a store opened in this process
/// (<c>--path</c>) or a running host (<c>--namespace</c>/<c>--socket</c>) until SIGTERM or SIGINT.
/// Prints <c>READY</c> on stdout once started; logs (every retried failure) go to stderr.
/// </summary>
internal static class BridgeCommand
{
    private static readonly NatsBridgeOptions Defaults = new();

    private static readonly Option<string> UrlOption = new("--url") { Description = "NATS server(s), comma-separated", DefaultValueFactory = _ => Defaults.Url };
    private static readonly Option<string[]> ExportOption = new("--export") { Description = "TOPIC or TOPIC=SUBJECT, published to JetStream", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string[]> ImportOption = new("--import") { Description = "STREAM:SUBJECT=TOPIC, a durable consumer committed to TOPIC", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> ExportStreamOption = new("--export-stream") { Description = "Create this stream over the export subjects if missing" };
    private static readonly Option<string?> PathOption = new("--path") { Description = "Open this store in this process" };
    private static readonly Option<string?> NamespaceOption = new("--namespace") { Description = "The host to connect to (without --path); always the Nats-Msg-Id prefix" };
    private static readonly Option<string?> SocketOption = new("--socket") { Description = "An explicit host address: unix:///path or tcp://host:port" };
    private static readonly Option<string?> TokenOption = new("--token") { Description = "The host's shared secret" };
    private static readonly Option<Durability> DurabilityOption = new("--durability") { Description = "For --path: None, Batched or Always", DefaultValueFactory = _ => Durability.Batched };
    private static readonly Option<int> BatchOption = new("--batch-size") { Description = "Records (or messages) moved per batch, a count", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<int> InFlightOption = new("--max-in-flight") { Description = "Messages published and not yet acknowledged by JetStream at most, a count", DefaultValueFactory = _ => Defaults.MaxInFlight };
    private static readonly Option<LogLevel> LogLevelOption = new("--log-level") { Description = "Trace, Debug, Information, Warning, Error, Critical or None (logs go to stderr)", DefaultValueFactory = _ => LogLevel.Information };

    public static Command Create()
    {
        var nats = new Command("nats", "Export topics to NATS JetStream and import streams into topics");
        foreach (var option in new Option[]
        {
            UrlOption, ExportOption, ImportOption, ExportStreamOption, PathOption, NamespaceOption, SocketOption, TokenOption,
            DurabilityOption, BatchOption, InFlightOption, LogLevelOption,
        })
            nats.Add(option);
        nats.SetAction((result, ct) => RunAsync(result, ct));
        return new Command("bridge", "Bridge topics to another system") { nats };
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(result.GetValue(LogLevelOption))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        ILogClient engine;
        NatsBridge bridge;
        try
        {
            var options = Options(result);
            engine = await OpenEngineAsync(result, loggers, ct);
            bridge = NatsBridge.Start(engine, options, loggers.CreateLogger("bridge"));
        }
        catch (LogEngineException e)
        {
            await Console.Error.WriteLineAsync($"engine bridge nats: {e.Code}: {e.Message}");
            return 2;
        }
        await using (engine)
        await using (bridge)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            Console.Out.WriteLine("READY");
            await Console.Out.FlushAsync(ct);
            await Task.WhenAny(stop.Task, bridge.Completion);
            if (bridge.Completion is { IsFaulted: true, Exception: { } failure })
            {
                await Console.Error.WriteLineAsync($"engine bridge nats: stopped: {failure.InnerException?.Message}");
                return 2;
            }

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }
        }
        return 0;
    }

    private static NatsBridgeOptions Options(ParseResult result) => new()
    {
        Url = result.GetValue(UrlOption)!,
        Namespace = result.GetValue(NamespaceOption) ?? Defaults.Namespace,
        Exports = [.. (result.GetValue(ExportOption) ?? []).Select(BridgeSpecs.ParseExport)],
        Imports = [.. (result.GetValue(ImportOption) ?? []).Select(BridgeSpecs.ParseImport)],
        ExportStream = result.GetValue(ExportStreamOption),
        BatchSize = result.GetValue(BatchOption),
        MaxInFlight = result.GetValue(InFlightOption),
    };

    /// <summary>The store in this process with --path (no workers: the bridge runs no system procs), else a running host.</summary>
    private static async Task<ILogClient> OpenEngineAsync(ParseResult result, ILoggerFactory loggers, CancellationToken ct)
    {
        if (result.GetValue(PathOption) is { } path)
            return LogEngine.Open(path, new LogEngineOptions { Durability = result.GetValue(DurabilityOption), Workers = 0, LoggerFactory = loggers });
        return await LogClient.ConnectAsync(new ConnectOptions
        {
            Namespace = result.GetValue(NamespaceOption),
            Socket = result.GetValue(SocketOption),
            Token = result.GetValue(TokenOption),
            Timeout = TimeSpan.FromSeconds(10),
        }, ct);
    }
}
