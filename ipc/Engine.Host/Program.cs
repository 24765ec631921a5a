using System.CommandLine;
using Engine.Host;

var root = new RootCommand("Engine: an embedded, multi-process log-processing engine")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
