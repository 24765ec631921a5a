// A worker service over an in-process engine: Doubler follows "numbers" with a live proc and
// commits each number doubled to "doubled". Commit numbers from anywhere that reaches the store
// (here: the --seed option commits 1..N at start). Ctrl+C / SIGTERM stops it cleanly.
using Engine.Samples.WorkerService;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddLogEngine("engine-data", o => o.Workers = 0).BindConfiguration("Engine");
builder.Services.AddHostedService<Doubler>();
await builder.Build().RunAsync();
