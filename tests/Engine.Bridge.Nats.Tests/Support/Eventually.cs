namespace Engine.Bridge.Nats.Tests.Support;

/// <summary>
/// Waits for a condition on another system (a JetStream stream's count, a bridge counter) that
/// offers nothing to await: checks it every few milliseconds, and fails with its description at the deadline.
/// </summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout} waiting until {what}");
            await Task.Delay(10);
        }
    }
}
