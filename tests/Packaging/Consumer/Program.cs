// What a new user does with the packages: one line in a Generic Host app registers the engine,
// then commit, read back, and run a DLL processor in worker processes. Exits non-zero (with the
// reason) if any of it fails.
using System.Globalization;
using System.Text;
using Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Consumer <folder with Increment.dll>");
    return 2;
}
var root = Path.Combine(Path.GetTempPath(), $"engine-consumer-{Guid.NewGuid():N}");
try
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Services.AddLogEngine(Path.Combine(root, "store"), o => o.Workers = 1);
    using (var app = builder.Build())
    {
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<ILogClient>();
        await engine.CommitAsync([.. Enumerable.Range(1, 100).Select(n => new CommitLog("numbers", Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture))))]);
        var read = await engine.RangeAsync("numbers");
        Check(read.Count == 100, $"read {read.Count} records back, expected 100");

        // A DLL processor runs in a worker process: this fails if the worker runtime did not
        // come with what it needs to start (its runtimeconfig.json beside Engine.Workers.dll).
        await engine.SystemProcAsync(new SystemProcOptions
        {
            Name = "inc", From = ["numbers"], To = ["incremented"], Count = 10,
            Processor = Path.Combine(Path.GetFullPath(args[0]), "Increment.dll"),
        });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await engine.WaitForProcsAsync(["inc"], deadline.Token);
        var results = await engine.RangeAsync("incremented");
        var sum = results.Sum(e => long.Parse(e.BodyText, CultureInfo.InvariantCulture));
        Check(results.Count == 100 && sum == Enumerable.Range(2, 100).Sum(), $"{results.Count} results summing to {sum}");
        await app.StopAsync();
    }
    Console.WriteLine("consumer: packages work (AddLogEngine, commit, range, a DLL processor in a worker)");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"consumer: FAILED: {e}");
    return 1;
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

static void Check(bool ok, string what)
{
    if (!ok) throw new InvalidOperationException(what);
}
