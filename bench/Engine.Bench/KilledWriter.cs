using System.Globalization;
using Engine.Bench.Workloads;

namespace Engine.Bench;

/// <summary>
/// The parent's side of <see cref="FillAndHang"/>: a child process opens a store, commits records to
/// <see cref="FillAndHang.Topic"/> after whatever the store already holds, says it is ready, and is
/// SIGKILLed with the store open (a process cannot SIGKILL itself and go on measuring). W7 has it
/// fill an empty store; W10 has it add a tail to a large one.
/// </summary>
internal static class KilledWriter
{
    public static async Task FillAndKillAsync(BenchContext context, string directory, int records, string workload)
    {
        string[] arguments = context.SegmentSize is { } size
            ? [FillAndHang.Command, directory, records.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture)]
            : [FillAndHang.Command, directory, records.ToString(CultureInfo.InvariantCulture)];
        using var child = SelfProcess.Start(arguments);
        try
        {
            using var waiting = new CancellationTokenSource(context.Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10));
            var line = await child.StandardOutput.ReadLineAsync(waiting.Token);
            if (line != FillAndHang.ReadyLine)
                throw new BenchCheckException($"{workload}: the fill-and-hang child said '{line ?? "nothing"}' instead of '{FillAndHang.ReadyLine}'");
        }
        finally
        {
            if (!child.HasExited) child.Kill(); // SIGKILL on Unix: no finalizers, no dispose, no final checkpoint
            await child.WaitForExitAsync();
        }
    }
}
