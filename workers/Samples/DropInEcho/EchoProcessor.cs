using Engine;

namespace DropInEcho;

/// <summary>Registers itself when dropped in: "echo" copies records from "echo-in" to "echo-out".</summary>
[SystemProc("echo", From = ["echo-in"], To = ["echo-out"])]
public sealed class EchoProcessor : IProcessor
{
    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessAsync(IReadOnlyList<LogEntry> logs, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([.. logs.Select(l => l.Body)]);
}
