namespace Engine.Ipc.Transport;

/// <summary>
/// How a process the engine starts (a spawned host, a worker) learns the secret of the socket it
/// must connect to or serve. Not on its command line: /proc/&lt;pid&gt;/cmdline and <c>ps</c> show
/// that to every user of the machine, while a process's environment is readable only by its own
/// user. The child takes the variable out of its environment once read, so processes it starts in
/// turn (a processor DLL may start some) do not inherit it.
/// </summary>
internal static class SecretHandOff
{
    /// <summary>The token <c>engine serve</c> requires of clients, when <c>--token</c> is not given.</summary>
    public const string HostTokenVariable = "ENGINE_TOKEN";

    /// <summary>The token of the worker channel a worker process connects to.</summary>
    public const string WorkerTokenVariable = "ENGINE_WORKER_TOKEN";

    /// <summary>Reads the variable and removes it from this process's environment.</summary>
    public static string? Take(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (value is not null) Environment.SetEnvironmentVariable(variable, null);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
