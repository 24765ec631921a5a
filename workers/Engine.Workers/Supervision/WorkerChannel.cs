using System.Diagnostics;
using Engine.Ipc.Protocol;
using Engine.Ipc.Server;
using Engine.Workers.Worker;

namespace Engine.Workers.Supervision;

/// <summary>
/// The engine's side of the worker channel: a worker says hello, then keeps one take request
/// pending per concurrency slot (answered with a batch when the scheduler assigns one) and one
/// control request (answered to cancel a batch or to exit), and reports each batch's outcome.
/// </summary>
internal sealed class WorkerChannel(WorkerRuntime runtime) : IRequestHandler
{
    public bool IsWait(Op op) => op is Op.WorkerTake or Op.WorkerControl;

    public async ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct)
    {
        var id = args.I32();
        switch (op)
        {
            case Op.WorkerHello:
            {
                var processId = args.I32();
                args.ExpectEnd();
                if (runtime.Pool.Ready(id, processId, connection.Closed) is null)
                    throw new LogEngineException(LogEngineError.Unauthorized, $"worker {id} (process {processId}) is not expected");
                break;
            }
            case Op.WorkerTake:
            {
                args.ExpectEnd();
                var (worker, incarnation) = Incarnation(id);
                var slot = new Slot(worker, incarnation);
                using var abandon = ct.Register(slot.Abandon);
                runtime.Scheduler.Offer(slot);
                var item = await slot.Taken;
                WorkerProtocol.WriteBatch(result, item.BatchId, item.Processor, item.Stamp, item.Runner.SystemProc, item.Entries, item.TraceParent, item.TraceState);
                break;
            }
            case Op.WorkerDone:
            {
                var batchId = args.I64();
                var outcome = args.Bool() ? WorkResult.Success(WorkerProtocol.ReadOutputs(args)) : WorkResult.Failure(args.String());
                args.ExpectEnd();
                var (worker, incarnation) = Incarnation(id);
                if (incarnation.InFlight.TryRemove(batchId, out var item))
                {
                    worker.Executed(Stopwatch.GetElapsedTime(item.AssignedAt), outcome.Ok);
                    item.Complete(outcome);
                    runtime.Pool.Executed(worker, incarnation);
                }
                break;
            }
            case Op.WorkerControl:
            {
                args.ExpectEnd();
                var (_, incarnation) = Incarnation(id);
                var (command, batchId) = await incarnation.NextCommandAsync(ct);
                result.U8(command);
                result.I64(batchId);
                break;
            }
            default:
                throw new WireFormatException($"operation {op} is not for workers");
        }
    }

    private (WorkerHandle Worker, WorkerHandle.Incarnation Incarnation) Incarnation(int id)
    {
        var worker = runtime.Pool.Find(id) ?? throw new LogEngineException(LogEngineError.Unauthorized, $"no worker {id}");
        var incarnation = worker.Current ?? throw new LogEngineException(LogEngineError.Closed, $"worker {id} is not running");
        return (worker, incarnation);
    }
}
