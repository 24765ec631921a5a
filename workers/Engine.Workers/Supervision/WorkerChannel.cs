using System.Diagnostics;
using Engine.Ipc.Protocol;
using Engine.Ipc.Server;
using Engine.Workers.Worker;

namespace Engine.Workers.Supervision;

/// <summary>
/// The engine's side of the worker channel: a worker says hello, then keeps one take request
/// pending per concurrency slot (answered with a batch when the scheduler assigns one) and one
/// control request (answered to cancel a batch or to exit), and reports each batch's outcome.
/// Every request carries the number of the process (not of a slot); the pool knows which slot it
/// serves, if any yet.
/// </summary>
internal sealed class WorkerChannel(WorkerRuntime runtime) : IRequestHandler
{
    public bool IsWait(Op op) => op is Op.WorkerTake or Op.WorkerControl;

    public async ValueTask HandleAsync(Op op, WireReader args, WireWriter result, IConnection connection, CancellationToken ct)
    {
        var number = args.I32();
        switch (op)
        {
            case Op.WorkerHello:
            {
                var processId = args.I32();
                args.ExpectEnd();
                if (runtime.Pool.Ready(number, processId, connection.Closed) is null)
                    throw new LogEngineException(LogEngineError.Unauthorized, $"worker process {number} (process {processId}) is not expected");
                break;
            }
            case Op.WorkerTake:
            {
                args.ExpectEnd();
                var incarnation = Process(number);
                // A spare's take requests wait here until it is promoted into a slot: it gets no
                // batch before, and when it is promoted they are already pending, so its slot takes
                // batches at once.
                var worker = incarnation.Worker ?? await incarnation.Serving.WaitAsync(ct);
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
                var incarnation = Process(number);
                // A process holds batches only once it serves a slot, so Worker is set here.
                if (incarnation.InFlight.TryRemove(batchId, out var item) && incarnation.Worker is { } worker)
                {
                    worker.Executed(Stopwatch.GetElapsedTime(item.AssignedAt), outcome.Ok);
                    item.Complete(outcome);
                    runtime.Pool.Executed(incarnation);
                }
                break;
            }
            case Op.WorkerControl:
            {
                args.ExpectEnd();
                var (command, batchId) = await Process(number).NextCommandAsync(ct);
                result.U8(command);
                result.I64(batchId);
                break;
            }
            default:
                throw new WireFormatException($"operation {op} is not for workers");
        }
    }

    /// <summary>The live worker process a request's number names (numbers are per process, never reused).</summary>
    private Incarnation Process(int number) =>
        runtime.Pool.Process(number) ?? throw new LogEngineException(LogEngineError.Closed, $"worker process {number} is not running");
}
