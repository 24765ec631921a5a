namespace Engine.Bridge.Nats.Tests.Support;

public static class ProcWait
{
    /// <summary>Waits until the bridge has created <paramref name="procName"/> and it has acked the last record of its topic.</summary>
    public static async Task WaitUntilCaughtUpAsync(ILogClient engine, string procName, TimeSpan timeout)
    {
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await engine.InspectProcAsync(procName);
                return true;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.ProcNotFound)
            {
                return false;
            }
        }, timeout, $"the bridge creates proc {procName}");
        await engine.WaitForProcsAsync([procName]).AsTask().WaitAsync(timeout);
    }
}
