using Engine.Host.Cli;

namespace Engine.Tests.Cli;

/// <summary>Runs the <c>engine</c> command in-process, as a shell would: arguments, stdin, and what it printed.</summary>
internal static class CliRun
{
    public sealed record Result(int Code, string Out, string Err);

    public static async Task<Result> RunWithInputAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EngineCli.RunAsync(args, new CliIo(output, error, new StringReader(stdin), interactive: false));
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Task<Result> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Lines of output, without the trailing empty one.</summary>
    public static string[] Lines(this Result result) => result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>A writer whose lines can be awaited: a test waits for what a following command prints, with no polling.</summary>
internal sealed class AwaitableWriter : StringWriter
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<IReadOnlyList<string>, bool> Done, TaskCompletionSource Signal)> _waits = [];

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        lock (_lock)
        {
            _lines.Add(value ?? "");
            foreach (var wait in _waits.Where(w => w.Done(_lines)).ToList())
            {
                wait.Signal.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    /// <summary>Completes once the lines written so far satisfy <paramref name="done"/>.</summary>
    public Task WhenAsync(Func<IReadOnlyList<string>, bool> done)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (done(_lines)) return Task.CompletedTask;
            _waits.Add((done, signal));
        }
        return signal.Task;
    }
}
