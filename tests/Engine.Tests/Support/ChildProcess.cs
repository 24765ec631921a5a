using System.Diagnostics;
using System.Threading.Channels;

namespace Engine.Tests.Support;

/// <summary>
/// A test child process (Engine.TestChild, built beside the tests) whose stdout lines are read as
/// they come. <see cref="Kill"/> is SIGKILL: no finalizers, no flush, no clean close.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.Writer.TryComplete();
            else _lines.Writer.TryWrite(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Engine.TestChild.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the test child"));
    }

    /// <summary>The next stdout line; null once the process has closed its output.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the child printed nothing for {timeout}");
        }
    }

    /// <summary>Lines already printed, without waiting.</summary>
    public IEnumerable<string> DrainLines()
    {
        while (_lines.Reader.TryRead(out var line)) yield return line;
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
