using Engine.Host.Cli;
using Engine.Ipc.Transport;

InlineSocketCompletions.PreferForThisProcess(); // before any socket exists: see the class

return await EngineCli.RunAsync(args, CliIo.ForProcess());
