using System.Diagnostics;

namespace Engine.Ipc.Client;

/// <summary>
/// A host process started by <see cref="LogClient.SpawnAsync"/>: <c>dotnet Engine.Host.dll serve ...</c>.
/// It is ready when it prints its READY line (after it listens); if it exits first, what it wrote
/// to stderr says why. Unless told otherwise, it exits when its spawner does (its stdin closes).
/// </summary>
internal sealed class SpawnedHost : IAsyncDisposable
{
    private const string HostFile = "Engine.Host.dll";

    /// <summary>
    /// Spawned hosts stay referenced for the life of this process: releasing a Process object
    /// would close the host's stdin, which a host started with --exit-with-parent takes as its
    /// spawner's exit, and other clients may be using it.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<Process> Spawned = [];

    private readonly Process _process;
    private readonly List<string> _errors = [];

    private SpawnedHost(Process process) => _process = process;

    public static async Task<SpawnedHost> StartAsync(SpawnOptions options, CancellationToken ct)
    {
        var hostPath = options.HostPath ?? Environment.GetEnvironmentVariable("ENGINE_HOST") ?? Path.Combine(AppContext.BaseDirectory, HostFile);
        if (!File.Exists(hostPath))
            throw new LogEngineException(LogEngineError.ConnectionFailed,
                $"cannot spawn a host: '{hostPath}' does not exist (reference the Engine.Host project, or set SpawnOptions.HostPath or ENGINE_HOST)");
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostPath);
        foreach (var argument in options.ToServeArguments()) info.ArgumentList.Add(argument);
        if (options.Token is not null) info.Environment[Transport.SecretHandOff.HostTokenVariable] = options.Token;
        var process = Process.Start(info) ?? throw new LogEngineException(LogEngineError.ConnectionFailed, "the host process did not start");
        var host = new SpawnedHost(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) ready.TrySetException(host.Exited());
            else if (e.Data.StartsWith("READY", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (host._errors)
            {
                host._errors.Add(e.Data);
                if (host._errors.Count > 50) host._errors.RemoveAt(0);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(options.StartTimeout, ct);
        }
        catch (TimeoutException)
        {
            host.Kill();
            throw new LogEngineException(LogEngineError.Timeout, $"the host did not start accepting connections within {options.StartTimeout}");
        }
        catch
        {
            host.Kill();
            throw;
        }
        Spawned.Add(process);
        return host;
    }

    /// <summary>The host's process id.</summary>
    public int ProcessId => _process.Id;

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    private LogEngineException Exited()
    {
        _process.WaitForExit(5000);
        string errors;
        lock (_errors) errors = string.Join(Environment.NewLine, _errors);
        var code = errors.Contains("Locked", StringComparison.Ordinal) ? LogEngineError.Locked : LogEngineError.ConnectionFailed;
        return new LogEngineException(code, $"the host exited before it was ready: {errors}");
    }

    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>Ends a host that failed to start.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Lets go of the host; it keeps running until shut down (or its spawner exits).</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
