using System.Diagnostics;
using Engine.Ipc.Protocol;
using Engine.Telemetry;

namespace Engine.Ipc.Server;

/// <summary>
/// Runs one request against the engine: reads the arguments, makes the call, writes the result.
/// An engine call that completes at once (a commit under Batched durability, a read) completes
/// this method synchronously, so the connection answers it without a task or a thread hop.
/// </summary>
internal sealed class RequestDispatcher(LogEngine engine, Func<ValueTask> requestShutdown) : IRequestHandler
{
    /// <summary>Operations that wait for something to happen; a client may cancel them.</summary>
    public bool IsWait(Op op) => op is Op.ClaimWhenAvailable or Op.WaitForProcs;

    /// <summary>Answers up to this many records are read on the read loop; a read of more goes to the thread pool.</summary>
    public const int InlineRangeRecords = 1024;

    /// <summary>A range that may hold more than <see cref="InlineRangeRecords"/> records: its limit, else its topic's length, says so.</summary>
    public bool IsLarge(Op op, ReadOnlyMemory<byte> payload)
    {
        if (op is not (Op.Range or Op.RevRange)) return false;
        try
        {
            var args = new WireReader(payload);
            args.U16();
            var topic = args.NullableString();
            var options = Codec.ReadRangeOptions(args);
            if (options is { Limit: > 0 and <= InlineRangeRecords }) return false;
            var length = engine.LengthAsync(topic!); // answered at once, from memory
            return length.IsCompletedSuccessfully && length.Result > InlineRangeRecords;
        }
        catch (Exception e) when (e is WireFormatException or LogEngineException)
        {
            return false; // handling it reports the error
        }
    }

    public ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct) =>
        HandleAsync(op, args, result, connection, default, ct);

    /// <summary>
    /// One request: counted, and under a server span when someone listens, the child of the
    /// client's span when the request carried its trace context (a traced request).
    /// </summary>
    public ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, ActivityContext caller, CancellationToken ct)
    {
        if (EngineMetrics.IpcRequests.Enabled) EngineMetrics.IpcRequests.Add(1);
        return EngineActivities.Source.HasListeners() ? TracedAsync(op, args, result, connection, caller, ct) : DispatchAsync(op, args, result, connection, ct);
    }

    private async ValueTask TracedAsync(Op op, WireReader args, WireWriter result, IConnection connection, ActivityContext caller, CancellationToken ct)
    {
        using var activity = EngineActivities.Source.StartActivity($"engine.ipc {op}", ActivityKind.Server, caller);
        activity?.SetTag("rpc.method", op.ToString());
        try
        {
            await DispatchAsync(op, args, result, connection, ct);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async ValueTask DispatchAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct)
    {
        ILogClient client = engine;
        ILiveProcBackend live = engine;
        switch (op)
        {
            case Op.Commit:
            {
                var topic = args.NullableString()!;
                var body = args.Bytes();
                args.ExpectEnd();
                result.String(await client.CommitAsync(topic, body, ct));
                break;
            }
            case Op.CommitBatch:
            {
                var logs = Codec.ReadCommitLogs(args);
                args.ExpectEnd();
                Codec.Write(result, await client.CommitAsync(logs, ct));
                break;
            }
            case Op.Range or Op.RevRange:
            {
                var topic = args.NullableString()!;
                var options = Codec.ReadRangeOptions(args);
                args.ExpectEnd();
                Codec.Write(result, op == Op.Range ? await client.RangeAsync(topic, options, ct) : await client.RevRangeAsync(topic, options, ct));
                break;
            }
            case Op.Length:
            {
                var topic = args.NullableString()!;
                args.ExpectEnd();
                result.I64(await client.LengthAsync(topic, ct));
                break;
            }
            case Op.Proc:
            {
                var topic = args.NullableString()!;
                var options = Codec.ReadProcOptions(args);
                args.ExpectEnd();
                Codec.Write(result, await client.ProcAsync(topic, options, ct));
                break;
            }
            case Op.AckAndProc:
            {
                var topic = args.NullableString()!;
                var options = Codec.ReadProcOptions(args);
                args.ExpectEnd();
                Codec.Write(result, await client.AckAndProcAsync(topic, options, ct));
                break;
            }
            case Op.Ack:
                result.String(await client.AckAsync(OneName(args), ct));
                break;
            case Op.AckCommit:
            {
                var name = args.NullableString()!;
                var logs = Codec.ReadCommitLogs(args);
                args.ExpectEnd();
                Codec.Write(result, await client.AckCommitAsync(name, logs, ct));
                break;
            }
            case Op.Reclaim:
            {
                // An inline system proc's client adds its processor's failure, for dead letters.
                var name = args.NullableString()!;
                var error = args.AtEnd ? null : args.NullableString();
                args.ExpectEnd();
                result.String(error is null ? await client.ReclaimProcAsync(name, ct) : await live.ReclaimAfterFailureAsync(name, error));
                break;
            }
            case Op.Inspect:
                Codec.Write(result, await client.InspectProcAsync(OneName(args), ct));
                break;
            case Op.Destroy:
                Codec.Write(result, await client.DestroyProcAsync(OneName(args), ct));
                break;
            case Op.Disable:
                Codec.Write(result, await client.DisableProcAsync(OneName(args), ct));
                break;
            case Op.Resume:
                Codec.Write(result, await client.ResumeProcAsync(OneName(args), ct));
                break;
            case Op.SystemProc:
            {
                var options = Codec.ReadSystemProcOptions(args);
                args.ExpectEnd();
                Codec.Write(result, await client.SystemProcAsync(options, ct));
                break;
            }
            case Op.CreateLiveProc:
            {
                var topic = args.NullableString()!;
                var options = Codec.ReadProcOptions(args);
                args.ExpectEnd();
                await engine.CreateLiveProcAsync(topic, options);
                // A live proc lives as long as its client: if the connection ends without the
                // client disposing it (the client was killed), the host forgets it, so nothing
                // is left claimed by nobody or holding WaitForProcsAsync back.
                connection.Closed.Register(() => _ = ForgetQuietlyAsync(live, options.Name));
                break;
            }
            case Op.ClaimWhenAvailable:
            {
                var topic = args.NullableString()!;
                var options = Codec.ReadProcOptions(args);
                args.ExpectEnd();
                Codec.Write(result, await live.ClaimWhenAvailableAsync(topic, options, ct));
                break;
            }
            case Op.ForgetLiveProc:
                await live.ForgetLiveProcAsync(OneName(args));
                break;
            case Op.WaitForProcs:
            {
                var names = args.Bool() ? Codec.ReadStrings(args) : null;
                args.ExpectEnd();
                await client.WaitForProcsAsync(names, ct);
                break;
            }
            case Op.CollectGarbage:
                args.ExpectEnd();
                Codec.Write(result, await engine.CollectGarbageAsync(ct));
                break;
            case Op.Stats:
                args.ExpectEnd();
                Codec.Write(result, await engine.GetStatsAsync(ct));
                break;
            case Op.ListTopics:
                args.ExpectEnd();
                Codec.Write(result, await client.ListTopicsAsync(ct));
                break;
            case Op.ListProcs:
                args.ExpectEnd();
                Codec.Write(result, await client.ListProcsAsync(ct));
                break;
            case Op.ProcInfo:
                Codec.Write(result, await client.ProcInfoAsync(OneName(args), ct));
                break;
            case Op.Shutdown:
                args.ExpectEnd();
                await requestShutdown();
                break;
            default:
                throw new WireFormatException($"unknown operation {(ushort)op}");
        }
    }

    /// <summary>For tests: told, with its name, when a live proc whose connection closed has been forgotten.</summary>
    internal event Action<string>? LiveProcForgotten;

    private async Task ForgetQuietlyAsync(ILiveProcBackend live, string procName)
    {
        try
        {
            await live.ForgetLiveProcAsync(procName); // already gone (disposed by its client) is fine
        }
        catch (LogEngineException)
        {
            // the engine is closing: the proc goes with the host's state as it is
        }
        LiveProcForgotten?.Invoke(procName);
    }

    private static string OneName(WireReader args)
    {
        var name = args.NullableString()!;
        args.ExpectEnd();
        return name;
    }
}
