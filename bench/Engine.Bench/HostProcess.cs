using System.Text;
using Engine.Ipc;

namespace Engine.Bench;

/// <summary>
/// An engine host in a separate process (<see cref="LogClient.SpawnAsync"/> runs <c>Engine.Host.dll</c>,
/// copied beside the bench by its project reference), so IPC figures are real cross-process ones.
/// Its store is a directory of the run's scratch folder, opened with the run's options; it listens on
/// a socket of its own (in that folder, or a namespace of its own when that path is too long for a
/// Unix socket), so runs never meet another host. Disposing shuts it down gracefully and removes its store.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    /// <summary>Unix socket paths are limited to 108 bytes, the terminating zero included.</summary>
    private const int MaxSocketPathBytes = 100;

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    private readonly BenchContext _context;
    private readonly string _directory;
    private readonly ConnectOptions _connect;
    private readonly List<LogClient> _extraClients = [];

    private HostProcess(BenchContext context, string directory, ConnectOptions connect, LogClient client)
    {
        _context = context;
        _directory = directory;
        _connect = connect;
        Client = client;
    }

    /// <summary>The spawner's client: one connection to the host.</summary>
    public LogClient Client { get; }

    public static async Task<HostProcess> SpawnAsync(BenchContext context, string name)
    {
        var directory = context.NewDirectory(name);
        var socketPath = Path.Combine(directory, "host.sock");
        var (socket, ns) = Encoding.UTF8.GetByteCount(socketPath) <= MaxSocketPathBytes
            ? ("unix://" + socketPath, (string?)null)
            : (null, $"engine-bench-{Guid.NewGuid():N}");
        var options = new SpawnOptions
        {
            Socket = socket,
            Namespace = ns,
            Location = Path.Combine(directory, "store"),
            Durability = Durability.Batched,
            SegmentSize = context.SegmentSize ?? new LogEngineOptions().SegmentSize,
            StartTimeout = TimeSpan.FromSeconds(60),
        };
        context.Log($"spawning an engine host on {socket ?? "namespace " + ns}");
        LogClient client;
        try
        {
            client = await LogClient.SpawnAsync(options);
        }
        catch
        {
            BenchContext.DeleteDirectory(directory);
            throw;
        }
        var connect = new ConnectOptions { Socket = socket, Namespace = ns, Timeout = TimeSpan.FromSeconds(10) };
        return new HostProcess(context, directory, connect, client);
    }

    /// <summary>Another client with a connection of its own to the same host; closed with the host.</summary>
    public async Task<LogClient> ConnectAsync()
    {
        var client = await LogClient.ConnectAsync(_connect);
        _extraClients.Add(client);
        return client;
    }

    /// <summary>Closes the extra clients, asks the host to shut down and waits until it has exited, then removes its store.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _extraClients) await client.DisposeAsync();
        try
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout);
            await Client.ShutdownAsync(timeout.Token);
        }
        catch (Exception e) when (e is LogEngineException or OperationCanceledException)
        {
            // It exits anyway when this process does (SpawnOptions.ExitWithSpawner closes its stdin).
            _context.Log($"the engine host did not shut down cleanly: {e.Message}");
        }
        await Client.DisposeAsync();
        BenchContext.DeleteDirectory(_directory);
    }
}
