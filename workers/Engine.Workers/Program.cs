using System.CommandLine;
using Engine.Ipc.Transport;
using Engine.Workers.Worker;

// A worker process, started by the engine's supervisor:
//   Engine.Workers --socket unix:///path --worker-id N --concurrency C
// where N numbers the process (each process the engine starts gets a new one), not a worker slot,
// and the channel's secret is in ENGINE_WORKER_TOKEN (a command line is visible to every user).
var socket = new Option<string>("--socket") { Required = true, Description = "The engine's worker channel" };
var workerId = new Option<int>("--worker-id") { Required = true };
var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 1 };
var root = new RootCommand("An Engine worker process: runs processor DLLs for the engine that started it")
{
    socket, workerId, concurrency,
};
root.SetAction((result, _) => new WorkerProcess(result.GetValue(workerId), Math.Max(1, result.GetValue(concurrency)))
    .RunAsync(result.GetValue(socket)!, SecretHandOff.Take(SecretHandOff.WorkerTokenVariable)));
return await root.Parse(args).InvokeAsync();
