using System.Text;
using Engine;

namespace Chaos;

/// <summary>
/// A processor that misbehaves on request, for supervision tests. Each record's body is a
/// command; anything that is not a command is echoed back.
/// <list type="bullet">
/// <item><c>throw</c>: the processor throws.</item>
/// <item><c>exit</c>: <c>Environment.Exit(3)</c>, the worker process ends.</item>
/// <item><c>failfast</c>: <c>Environment.FailFast</c>.</item>
/// <item><c>stackoverflow</c>: unbounded recursion.</item>
/// <item><c>thread-throw</c>: an unhandled exception on another thread.</item>
/// <item><c>hang</c>: waits until its token is cancelled.</item>
/// <item><c>hang-hard</c>: blocks, ignoring its token.</item>
/// <item><c>trace</c>: outputs the trace id and parent span id of the activity it runs under ("none" without one).</item>
/// <item><c>pid</c>: outputs the id of the worker process that ran it, so a test sees which process ran each batch.</item>
/// <item><c>once-throw:KEY</c>: throws the first time it sees KEY in this worker, then echoes.</item>
/// <item><c>COMMAND-once:PATH</c> (for exit, failfast, stackoverflow, thread-throw, hang,
/// hang-hard): does COMMAND only if the file PATH does not exist yet, creating it first (and echoes otherwise); so
/// the misbehaviour happens once, whichever worker process retries the batch.</item>
/// </list>
/// </summary>
public sealed class ChaosProcessor : IProcessor
{
    private static readonly HashSet<string> Seen = [];

    public async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessAsync(IReadOnlyList<LogEntry> logs, CancellationToken ct)
    {
        var outputs = new List<ReadOnlyMemory<byte>>();
        foreach (var log in logs)
        {
            var command = Once(Encoding.UTF8.GetString(log.Body.Span));
            switch (command)
            {
                case "throw":
                    throw new InvalidOperationException("chaos: throw");
                case "exit":
                    Environment.Exit(3);
                    break;
                case "failfast":
                    Environment.FailFast("chaos: failfast");
                    break;
                case "stackoverflow":
                    Recurse(0);
                    break;
                case "thread-throw":
                    var thread = new Thread(() => throw new InvalidOperationException("chaos: unhandled on a thread"));
                    thread.Start();
                    thread.Join();
                    break;
                case "hang":
                    await Task.Delay(Timeout.Infinite, ct);
                    break;
                case "hang-hard":
                    Thread.Sleep(Timeout.Infinite);
                    break;
                case "pid":
                    outputs.Add(Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    continue;
                case "trace":
                    var current = System.Diagnostics.Activity.Current;
                    outputs.Add(Encoding.UTF8.GetBytes(current is null ? "none" : $"{current.TraceId}|{current.ParentSpanId}"));
                    continue;
                default:
                    if (command.StartsWith("once-throw:", StringComparison.Ordinal))
                    {
                        lock (Seen)
                        {
                            if (Seen.Add(command)) throw new InvalidOperationException($"chaos: first sight of {command}");
                        }
                    }
                    break;
            }
            outputs.Add(log.Body.ToArray());
        }
        return outputs;
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    /// <summary>"exit-once:/tmp/m" is "exit" the first time (creating /tmp/m) and an echo after.</summary>
    private static string Once(string command)
    {
        var marker = command.IndexOf("-once:", StringComparison.Ordinal);
        if (marker < 0) return command;
        var path = command[(marker + "-once:".Length)..];
        try
        {
            using (File.Open(path, FileMode.CreateNew)) { }
        }
        catch (IOException)
        {
            return "echo";
        }
        return command[..marker];
    }
}
