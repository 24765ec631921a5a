namespace Engine;

/// <summary>What an operator asks: the topics, the procs and their lag.</summary>
public sealed partial class LogEngine
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new(Guarded(_store.ListTopics, "listing topics"));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProcInfo>> ListProcsAsync(CancellationToken ct = default) => new(_procs.List(ct));

    /// <inheritdoc />
    public ValueTask<ProcInfo> ProcInfoAsync(string procName, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return _procs.InfoAsync(procName, ct);
    }
}
