using System.CommandLine;
using System.Runtime.InteropServices;
using Engine.Ipc.Hosting;
using Engine.Ipc.Transport;
using Microsoft.Extensions.Logging;

namespace Engine.Host;

/// <summary>
/// <c>engine serve</c>: opens a store and serves it to other processes until SIGTERM, SIGINT, a
/// client's shutdown request or (with --exit-with-parent) the end of stdin. Prints
/// <c>READY &lt;address&gt;</c> on stdout once it accepts connections; logs go to stderr.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The engine's own defaults (declared first: the options below read it as they are built).</summary>
    private static readonly LogEngineOptions EngineDefaults = new();

    private static readonly Option<string?> PathOption = new("--path") { Description = "The store's directory (created if missing)" };
    private static readonly Option<bool> MemoryOption = new("--memory") { Description = "Keep the store in memory (nothing on disk; --path is ignored)" };
    private static readonly Option<string?> NamespaceOption = new("--namespace") { Description = "The namespace whose socket to serve" };
    private static readonly Option<string?> SocketOption = new("--socket") { Description = "An explicit address: unix:///path or tcp://host:port" };
    private static readonly Option<string?> TokenOption = new("--token") { Description = "A shared secret clients must present (or ENGINE_TOKEN, which other users cannot see, unlike a command line)" };
    private static readonly Option<Durability> DurabilityOption = new("--durability") { Description = "None (page cache only), Batched (fsync at most every --flush-interval) or Always (fsync before each commit returns)", DefaultValueFactory = _ => EngineDefaults.Durability };
    // Durations and sizes take units (10ms, 30s, 5m; 64MiB, 1GiB); a bare number is milliseconds or
    // bytes, as these options always took. The "-ms" names stay, so existing scripts keep working.
    private static readonly Option<TimeSpan> FlushOption = new("--flush-interval-ms", "--flush-interval")
    {
        Description = "Under Batched durability, fsync at most this often (e.g. 10ms, 1s; a bare number is ms)",
        DefaultValueFactory = _ => EngineDefaults.FlushInterval,
        CustomParser = Cli.Units.Duration,
    };
    private static readonly Option<long> SegmentOption = new("--segment-size")
    {
        Description = "Bytes per log segment before rolling to the next, at least 1MiB (e.g. 64MiB, 1GiB; a bare number is bytes)",
        DefaultValueFactory = _ => EngineDefaults.SegmentSize,
        CustomParser = Cli.Units.Size,
    };
    private static readonly Option<TimeSpan?> GcMinPruneOption = new("--gc-min-prune-ms", "--gc-min-prune")
    {
        Description = "Turns the GC on: records are pruned once older than this (and acked by every active proc), e.g. 1h, 30s; a bare number is ms",
        CustomParser = r => Cli.Units.Duration(r),
    };
    private static readonly Option<TimeSpan?> GcIntervalOption = new("--gc-interval-ms", "--gc-interval")
    {
        Description = "With the GC on, how often it runs (e.g. 30s; a bare number is ms; default 30s)",
        CustomParser = r => Cli.Units.Duration(r),
    };
    private static readonly Option<int> WorkersOption = new("--workers") { Description = "Worker processes that run DLL system procs, a count (0: none)", DefaultValueFactory = _ => EngineDefaults.Workers };
    private static readonly Option<int> ConcurrencyOption = new("--worker-concurrency") { Description = "Batches one worker process runs at once, a count", DefaultValueFactory = _ => EngineDefaults.WorkerConcurrency };
    private static readonly Option<int> RestartAfterOption = new("--worker-restart-after") { Description = "Restart a worker after this many batches, a count (0: never)", DefaultValueFactory = _ => EngineDefaults.WorkerRestartAfter };
    private static readonly Option<int> SpareWorkersOption = new("--spare-workers") { Description = "Worker processes started ahead of need, to replace a lost or recycled worker at once, a count (0: none)", DefaultValueFactory = _ => EngineDefaults.SpareWorkers };
    private static readonly Option<string?> ProcessorsOption = new("--processors") { Description = "The folder of processor DLLs (a path; DLLs dropped in are loaded)" };
    private static readonly Option<string?> TlsCertOption = new("--tls-cert") { Description = "PEM certificate: serve TLS on tcp://" };
    private static readonly Option<string?> TlsKeyOption = new("--tls-key") { Description = "PEM key of --tls-cert" };
    private static readonly Option<string?> TlsClientCaOption = new("--tls-client-ca") { Description = "PEM CA: require client certificates that chain to it" };
    private static readonly Option<long> MaxFrameOption = new("--max-frame-size")
    {
        Description = "Refuse a wire frame larger than this, before reading it (e.g. 64MiB; a bare number is bytes)",
        DefaultValueFactory = _ => Engine.Ipc.Protocol.Wire.DefaultMaxFrame,
        CustomParser = Cli.Units.Size,
    };
    private static readonly Option<TimeSpan> IdleOption = new("--idle-timeout-ms", "--idle-timeout")
    {
        Description = "Close a connection silent this long (clients ping every 5s), e.g. 15s; a bare number is ms",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(15),
        CustomParser = Cli.Units.Duration,
    };
    private static readonly Option<bool> ExitWithParentOption = new("--exit-with-parent") { Description = "Shut down when stdin closes" };
    private static readonly Option<LogLevel> LogLevelOption = new("--log-level") { Description = "Trace, Debug, Information, Warning, Error, Critical or None (logs go to stderr)", DefaultValueFactory = _ => LogLevel.Information };

    public static Command Create()
    {
        var command = new Command("serve", """
            Serve a store to other processes over a local socket, until SIGTERM, Ctrl+C or a client's shutdown. Prints READY <address> when it accepts connections.
            Example: engine serve --path data --namespace myapp --processors ./processors --segment-size 256MiB
            """);
        foreach (var option in new Option[]
        {
            PathOption, MemoryOption, NamespaceOption, SocketOption, TokenOption, DurabilityOption, FlushOption, SegmentOption,
            GcMinPruneOption, GcIntervalOption, WorkersOption, ConcurrencyOption, RestartAfterOption, SpareWorkersOption, ProcessorsOption,
            TlsCertOption, TlsKeyOption, TlsClientCaOption, MaxFrameOption, IdleOption, ExitWithParentOption, LogLevelOption,
        })
            command.Add(option);
        command.SetAction((result, ct) => RunAsync(result, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(result.GetValue(LogLevelOption))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggers.CreateLogger("engine");
        var options = Options(result, loggers);
        EngineHost host;
        try
        {
            host = await EngineHost.StartAsync(options, logger);
        }
        catch (LogEngineException e)
        {
            await Console.Error.WriteLineAsync($"engine serve: {e.Code}: {e.Message}");
            return e.Code == LogEngineError.Locked ? 3 : 2;
        }
        await using (host)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            if (options.ExitWithParent) _ = Task.Run(async () =>
            {
                await Console.In.ReadToEndAsync(ct);
                stop.TrySetResult();
            }, ct);
            Console.Out.WriteLine($"READY {host.Address}");
            await Console.Out.FlushAsync(ct);
            logger.Serving(options.Memory ? "an in-memory store" : Path.GetFullPath(options.Path!), host.Address);
            await Task.WhenAny(stop.Task, host.ShutdownRequested);
            logger.ShuttingDown();

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }
        }
        return 0;
    }

    private static EngineHostOptions Options(ParseResult result, ILoggerFactory loggers)
    {
        GcOptions? gc = result.GetValue(GcMinPruneOption) is { } minPrune
            ? new GcOptions { MinPruneTime = minPrune, Interval = result.GetValue(GcIntervalOption) ?? TimeSpan.FromSeconds(30) }
            : null;
        return new EngineHostOptions
        {
            Path = result.GetValue(PathOption) ?? Path.Combine(Directory.GetCurrentDirectory(), "engine-data"),
            Memory = result.GetValue(MemoryOption),
            Namespace = result.GetValue(NamespaceOption),
            Socket = result.GetValue(SocketOption),
            Token = result.GetValue(TokenOption) ?? SecretHandOff.Take(SecretHandOff.HostTokenVariable),
            TlsCertificateFile = result.GetValue(TlsCertOption),
            TlsKeyFile = result.GetValue(TlsKeyOption),
            TlsClientCaFile = result.GetValue(TlsClientCaOption),
            MaxFrameSize = (int)Math.Min(int.MaxValue, result.GetValue(MaxFrameOption)),
            IdleTimeout = result.GetValue(IdleOption),
            ExitWithParent = result.GetValue(ExitWithParentOption),
            Engine = new LogEngineOptions
            {
                Durability = result.GetValue(DurabilityOption),
                FlushInterval = result.GetValue(FlushOption),
                SegmentSize = result.GetValue(SegmentOption),
                Gc = gc,
                Workers = result.GetValue(WorkersOption),
                WorkerConcurrency = result.GetValue(ConcurrencyOption),
                WorkerRestartAfter = result.GetValue(RestartAfterOption),
                SpareWorkers = result.GetValue(SpareWorkersOption),
                ProcessorsDirectory = result.GetValue(ProcessorsOption),
                LoggerFactory = loggers,
            },
        };
    }
}
