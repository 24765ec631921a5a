using System.Diagnostics;
using System.Globalization;
using Engine.Ipc.Transport;

namespace Engine.Workers.Supervision;

/// <summary>
/// Starts one worker process: <c>dotnet Engine.Workers.dll --socket … --worker-id N --concurrency C</c>,
/// from the very assembly that supervises it (so both ends of the channel are one build), with the
/// channel's token in the child's environment, not on its command line where any user sees it.
/// </summary>
internal static class WorkerLauncher
{
    /// <summary>Starts the process numbered <paramref name="number"/>; throws InvalidOperationException or Win32Exception if it cannot.</summary>
    public static Process Start(string address, string token, int number, int concurrency)
    {
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(WorkerLauncher).Assembly.Location);
        info.Environment[SecretHandOff.WorkerTokenVariable] = token;
        foreach (var argument in new[]
        {
            "--socket", address,
            "--worker-id", number.ToString(CultureInfo.InvariantCulture),
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
        })
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("no process");
    }

    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
