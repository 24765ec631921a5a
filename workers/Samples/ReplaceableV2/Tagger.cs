using System.Text;
using Engine;

namespace Replaceable;

/// <summary>Version 2: prefixes each body with "v2:".</summary>
public sealed class Tagger : IProcessor
{
    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessAsync(IReadOnlyList<LogEntry> logs, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>([.. logs.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes("v2:" + l.BodyText))]);
}
