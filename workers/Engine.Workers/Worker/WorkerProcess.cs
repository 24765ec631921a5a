using System.Collections.Concurrent;
using Engine.Ipc.Client;
using Engine.Ipc.Protocol;
using Engine.Ipc.Transport;

namespace Engine.Workers.Worker;

/// <summary>
/// The worker process: connects back to the engine over the IPC layer, then runs one loop per
/// concurrency slot (take a batch, run the processor, report) and one control loop (cancel a
/// batch that overran its timeout; exit when told). A processor's exception is reported as an
/// error; anything that kills the process is seen by the engine, which reclaims and restarts.
/// Its requests carry its <paramref name="number"/>, which names the process, not a slot: started
/// as a spare, it says hello and its take requests wait, unanswered, until the engine puts it in a
/// slot's place, which it need not be told about.
/// </summary>
internal sealed class WorkerProcess(int number, int concurrency)
{
    private readonly ProcessorCache _processors = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private readonly CancellationTokenSource _exit = new();
    private ClientConnection _connection = null!;

    public async Task<int> RunAsync(string socket, string? token)
    {
        _connection = await ClientConnection.OpenAsync(Endpoint.Parse(socket), new TlsSettings(null, null, null), token,
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None);
        var hello = _connection.StartRequest(Op.WorkerHello, out var id);
        hello.Writer.I32(number);
        hello.Writer.I32(Environment.ProcessId);
        await _connection.CallAsync(hello, id, CancellationToken.None);
        var control = ControlLoopAsync();
        var slots = Enumerable.Range(0, concurrency).Select(_ => SlotLoopAsync()).ToList();
        try
        {
            await Task.WhenAll(slots);
            return 0;
        }
        catch (LogEngineException e) when (e.Code is LogEngineError.ConnectionFailed or LogEngineError.Closed)
        {
            return _exit.IsCancellationRequested ? 0 : 1; // the engine is gone: nothing left to work for
        }
        finally
        {
            await _exit.CancelAsync();
            await _connection.DisposeAsync();
            await control.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task SlotLoopAsync()
    {
        while (!_exit.IsCancellationRequested)
        {
            var take = _connection.StartRequest(Op.WorkerTake, out var id);
            take.Writer.I32(number);
            WorkerBatch batch;
            try
            {
                batch = WorkerProtocol.ReadBatch(await _connection.CallAsync(take, id, _exit.Token, cancellable: true));
            }
            catch (OperationCanceledException) when (_exit.IsCancellationRequested)
            {
                return;
            }
            await RunBatchAsync(batch);
        }
    }

    private async Task RunBatchAsync(WorkerBatch batch)
    {
        using var cancel = new CancellationTokenSource();
        using var span = BatchSpan.Start(batch);
        _running[batch.BatchId] = cancel;
        var done = _connection.StartRequest(Op.WorkerDone, out var id);
        done.Writer.I32(number);
        done.Writer.I64(batch.BatchId);
        try
        {
            using var lease = _processors.Acquire(batch.Processor, batch.Stamp);
            var outputs = await lease.Processor.ProcessAsync(batch.Entries, cancel.Token);
            done.Writer.Bool(true);
            WorkerProtocol.WriteOutputs(done.Writer, outputs ?? []);
        }
        catch (Exception e)
        {
            // The processor's failure is the batch's, not the worker's: report it and go on.
            Telemetry.EngineActivities.MarkFailed(span, e.GetType().FullName ?? e.GetType().Name, e.Message);
            done.Writer.Bool(false);
            done.Writer.String($"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _running.TryRemove(batch.BatchId, out _);
        }
        // Not awaited: the next take follows in the same write, so one round trip serves a batch.
        _connection.Post(done, id);
    }

    private async Task ControlLoopAsync()
    {
        while (!_exit.IsCancellationRequested)
        {
            var request = _connection.StartRequest(Op.WorkerControl, out var id);
            request.Writer.I32(number);
            WireReader command;
            try
            {
                command = await _connection.CallAsync(request, id, _exit.Token, cancellable: true);
            }
            catch (Exception e) when (e is OperationCanceledException or LogEngineException)
            {
                return;
            }
            var kind = command.U8();
            var batchId = command.I64();
            if (kind == WorkerProtocol.CancelBatch && _running.TryGetValue(batchId, out var cancel)) await cancel.CancelAsync();
            if (kind == WorkerProtocol.Exit)
            {
                await _exit.CancelAsync(); // slots finish the batch in hand, then stop taking
                return;
            }
        }
    }
}
