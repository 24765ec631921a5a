namespace Engine.SystemProcs;

/// <summary>
/// Runs DLL system procs in worker processes. Implemented by Engine.Workers, which the engine
/// finds by name (<see cref="ProcessorRuntimes"/>): an application that only embeds the engine
/// does not need it, and one that drops processor DLLs references it.
/// </summary>
internal interface IProcessorRuntime : IAsyncDisposable
{
    /// <summary>
    /// Checks that <paramref name="processor"/> names a loadable processor (relative paths against
    /// the processors directory) and returns it with an absolute path; else <see cref="LogEngineError.NoValidProcessor"/>.
    /// </summary>
    string Resolve(string processor);

    /// <summary>Starts running a registered system proc, or restarts it with new options.</summary>
    void Run(SystemProcRegistration registration);

    /// <summary>Stops running a system proc (its procs keep their state).</summary>
    Task StopAsync(string name);

    /// <summary>Figures of the workers and of the DLL system procs.</summary>
    EngineStats Stats();
}
