using System.CommandLine;
using Engine.Workers.Worker;

// A worker process, started by the engine's supervisor:
//   Engine.Workers --socket unix:///path --token T --worker-id N --concurrency C
var socket = new Option<string>("--socket") { Required = true, Description = "The engine's worker channel" };
var token = new Option<string?>("--token") { Description = "The channel's secret" };
var workerId = new Option<int>("--worker-id") { Required = true };
var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 1 };
var root = new RootCommand("An Engine worker process: runs processor DLLs for the engine that started it")
{
    socket, token, workerId, concurrency,
};
root.SetAction((result, _) => new WorkerProcess(result.GetValue(workerId), Math.Max(1, result.GetValue(concurrency)))
    .RunAsync(result.GetValue(socket)!, result.GetValue(token)));
return await root.Parse(args).InvokeAsync();
