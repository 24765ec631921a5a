namespace Engine.Workers.Supervision;

/// <summary>
/// How long to wait before starting a worker process again: at once the first time, then 200 ms
/// doubling up to 5 s while starts keep failing, so a crash-looping environment (a broken runtime,
/// a processor that kills every worker) does not spin the machine starting processes.
/// </summary>
internal static class RestartBackOff
{
    /// <param name="failures">Starts since a process of this line last said hello.</param>
    public static TimeSpan Delay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, failures == 0 ? 0 : 100 * (1 << Math.Min(failures, 6))));
}
