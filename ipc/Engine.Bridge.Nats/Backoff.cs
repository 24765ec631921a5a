namespace Engine.Bridge.Nats;

/// <summary>Doubling waits between attempts, capped, reset by a success.</summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max)
{
    private TimeSpan? _next;

    /// <summary>The wait before the next attempt (and doubles the one after).</summary>
    public TimeSpan Next()
    {
        var wait = _next ?? min;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, wait.Ticks * 2));
        return wait;
    }

    public void Reset() => _next = null;
}
