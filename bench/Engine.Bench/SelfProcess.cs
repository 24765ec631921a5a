using System.Diagnostics;

namespace Engine.Bench;

/// <summary>Starts this same program again with other arguments (W7 needs a process it can SIGKILL).</summary>
internal static class SelfProcess
{
    public static Process Start(params string[] arguments)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run as "dotnet Engine.Bench.dll" (no apphost): the assembly is the first argument.
        if (Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
    }
}
