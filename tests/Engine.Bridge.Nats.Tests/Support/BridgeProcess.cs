using System.Diagnostics;

namespace Engine.Bridge.Nats.Tests.Support;

/// <summary><c>engine bridge nats</c> in a child process (Engine.Host.dll beside the tests), to be SIGKILLed.</summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private BridgeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            if (e.Data == "READY") _ready.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) _output.Enqueue(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static async Task<BridgeProcess> StartAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Engine.Host.dll"));
        info.ArgumentList.Add("bridge");
        info.ArgumentList.Add("nats");
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var bridge = new BridgeProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start engine bridge nats"));
        var exited = bridge._process.WaitForExitAsync();
        if (await Task.WhenAny(bridge._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) != bridge._ready.Task)
        {
            bridge.Kill();
            throw new InvalidOperationException($"engine bridge nats did not start: {string.Join(Environment.NewLine, bridge._output)}");
        }
        return bridge;
    }

    /// <summary>Everything it printed so far, stdout and stderr.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>SIGKILL: no flush, no clean close, claims left open.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
