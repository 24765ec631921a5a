using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Engine.Torture;

/// <summary>
/// A child running <see cref="Committer"/> (this executable's <c>child</c> command). Its report
/// lines go into the <see cref="Ledger"/> as they arrive; <see cref="KillAsync"/> is SIGKILL and
/// then takes every line the child got out before it died.
/// </summary>
public sealed class CommitterProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _errors = new();
    private readonly Task _reading;
    private string? _cutLine;

    private CommitterProcess(Process process, Ledger ledger)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_errors) _errors.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
        _reading = Task.Run(() => ReadAsync(ledger));
    }

    public static CommitterProcess Start(string path, Durability durability, int seed, long batchBase, Ledger ledger)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Engine.Torture.dll"));
        foreach (var argument in new[] { "child", "--path", path, "--durability", durability.ToString(), "--seed", Text(seed), "--batch-base", Text(batchBase) })
            info.ArgumentList.Add(argument);
        return new CommitterProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the committer"), ledger);
    }

    /// <summary>Completes when the child has opened the store and is about to commit; fails if it died first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var ended = await Task.WhenAny(_ready.Task, _reading, Task.Delay(timeout));
        if (ended == _ready.Task) return;
        throw new InvalidOperationException(ended == _reading
            ? $"the committer exited before READY: {_reading.Exception?.GetBaseException().Message} {Errors}"
            : $"the committer printed no READY within {timeout}: {Errors}");
    }

    /// <summary>Whether the child is still running (it should be, until it is killed).</summary>
    public bool Running => !_process.HasExited;

    public string Errors
    {
        get
        {
            lock (_errors) return _errors.ToString();
        }
    }

    /// <summary>SIGKILL; returns once every line it printed is in the ledger.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        await _reading;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }

    private async Task ReadAsync(Ledger ledger)
    {
        var output = _process.StandardOutput;
        while (await output.ReadLineAsync() is { } line)
        {
            // Only the last line may be cut short by the kill; one cut earlier is a broken report.
            if (_cutLine is not null) throw new InvalidOperationException($"a report line was cut short but more followed: '{_cutLine}'");
            if (!ledger.Apply(line)) _cutLine = line;
            else if (line.StartsWith("READY", StringComparison.Ordinal)) _ready.TrySetResult();
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
