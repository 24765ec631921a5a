using System.Reflection;

namespace Engine.SystemProcs;

/// <summary>Finds the worker runtime (Engine.Workers) if the application has it.</summary>
internal static class ProcessorRuntimes
{
    private const string AssemblyName = "Engine.Workers";
    private const string TypeName = "Engine.Workers.Supervision.WorkerRuntime";

    public static IProcessorRuntime Create(LogEngine engine, LogEngineOptions options)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(AssemblyName));
        }
        catch (FileNotFoundException)
        {
            throw new LogEngineException(LogEngineError.NoValidProcessor,
                "DLL processors run in worker processes, which need Engine.Workers: reference the Engine.Workers project (or package) from the application");
        }
        var type = assembly.GetType(TypeName, throwOnError: true)!;
        return (IProcessorRuntime)Activator.CreateInstance(type, engine, options)!;
    }
}
