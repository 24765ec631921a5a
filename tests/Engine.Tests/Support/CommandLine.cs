namespace Engine.Tests.Support;

/// <summary>A process's command line as every user of the machine sees it (Linux: /proc/&lt;pid&gt;/cmdline).</summary>
internal static class CommandLine
{
    public static string Of(int processId) =>
        File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ');
}
