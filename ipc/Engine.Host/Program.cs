using System.CommandLine;
using Engine.Host;
using Engine.Ipc.Transport;

InlineSocketCompletions.PreferForThisProcess(); // before any socket exists: see the class

var root = new RootCommand("Engine: an embedded, multi-process log-processing engine")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    BridgeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
