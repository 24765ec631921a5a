using Engine.Ipc.Protocol;

namespace Engine.Ipc;

/// <summary>What an operator asks, over the connection: topics, procs and their lag.</summary>
public sealed partial class LogClient
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(Op.ListTopics, out var id);
        return Codec.ReadTopicInfos(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ProcInfo>> ListProcsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var frame = _connection.StartRequest(Op.ListProcs, out var id);
        return Codec.ReadProcInfos(await _connection.CallAsync(frame, id, ct));
    }

    /// <inheritdoc />
    public async ValueTask<ProcInfo> ProcInfoAsync(string procName, CancellationToken ct = default) =>
        Codec.ReadProcInfo(await CallWithNameAsync(Op.ProcInfo, procName, ct));
}
