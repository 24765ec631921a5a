using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engine.Tests.Readme;

/// <summary>
/// The README's C# snippets that are not whole programs, compiled here with what they assume
/// around them (an open engine, a host builder). Between each pair of markers is one README code
/// block, character for character after indentation: <see cref="ReadmeTests"/> checks that, so
/// a README example that no longer compiles fails the build.
/// </summary>
internal static class ReadmeSnippets
{
    public static async Task DeadLettersAsync(LogEngine engine)
    {
        // README: Dead letters
        await engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["numbers"], To = ["incremented"],
            Processor = "Increment.dll", MaxReclaims = 3, OnMaxReclaimsReached = OnMaxReclaims.DeadLetter });
        foreach (var entry in await engine.RangeAsync("inc__dead"))
        {
            var dead = entry.BodyAs<DeadLetter>()!;   // dead.Topic, dead.Id, dead.Reclaims, dead.Error, dead.Body
        }
        // README: end
    }

    public static void Hosting(IHostApplicationBuilder builder)
    {
        // README: In a Generic Host or ASP.NET Core app (`Engine.Hosting`)
        builder.Services.AddLogEngine("data", o => o.Workers = 2)      // one LogEngine as ILogClient: opened at start, closed at stop
               .BindConfiguration("Engine");                          // options from "Engine": { ... } too, validated at start
        builder.Services.AddLogClient(o => o.Namespace = "myapp");     // or: a client of `engine serve`
        builder.Services.AddLogEngineHost(o => { o.Path = "data"; o.Namespace = "myapp"; }); // or: be the host other processes reach
        builder.Services.AddHealthChecks().AddLogEngine(o => { o.Procs.Add("orders"); o.MaxLag = 10_000; });
        // README: end
    }
}
