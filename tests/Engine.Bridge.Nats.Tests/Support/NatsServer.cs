using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Engine.Bridge.Nats.Tests.Support;

/// <summary>
/// A real <c>nats-server -js</c> on loopback: a free port, a temporary store directory, started and
/// stopped by the test. Restarting keeps port and store, as an operator's restart would. When the
/// binary is missing the test fails with instructions rather than passing without having run.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _storeDir;
    private Process? _process;

    private NatsServer(string binary)
    {
        _binary = binary;
        _storeDir = Path.Combine(Path.GetTempPath(), "engine-nats-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_storeDir);
        Port = FreePort();
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServer> StartAsync()
    {
        var binary = Find() ?? throw new InvalidOperationException(
            "nats-server is not installed, so the NATS bridge tests cannot run: `apt-get install -y nats-server` " +
            "(Debian/Ubuntu; .ci/run does this) or put nats-server on PATH (or name it in NATS_SERVER)");
        var server = new NatsServer(binary);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) and returns once it accepts clients.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", _storeDir })
            info.ArgumentList.Add(argument);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start nats-server");
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.Contains("Server is ready", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += onLine;
        process.OutputDataReceived += onLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(20))) != ready.Task)
            throw new InvalidOperationException($"nats-server did not become ready: {string.Join(Environment.NewLine, output)}");
    }

    /// <summary>Stops the server: SIGTERM (a clean shutdown that keeps what it acknowledged), then waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited) Signal(process.Id, 15);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_storeDir, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("NATS_SERVER") is { Length: > 0 } named) return File.Exists(named) ? named : null;
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(["/usr/sbin", "/usr/local/sbin", "/usr/bin"]);
        return dirs.Select(d => Path.Combine(d, "nats-server")).FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
