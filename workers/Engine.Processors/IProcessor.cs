namespace Engine;

/// <summary>
/// The contract a processor DLL implements: given a claimed batch, return the bodies to commit to
/// every <c>To</c> topic (an empty list commits nothing). Throwing reclaims the batch.
/// </summary>
public interface IProcessor
{
    /// <summary>Processes one claimed batch.</summary>
    ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessAsync(IReadOnlyList<LogEntry> logs, CancellationToken ct);
}

/// <summary>An inline processor: runs in the calling process with the same contract as <see cref="IProcessor"/>.</summary>
public delegate ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessorDelegate(IReadOnlyList<LogEntry> logs, CancellationToken ct);
