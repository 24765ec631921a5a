namespace Engine.Tests.Support;

/// <summary>
/// A wall clock a test sets by hand, backwards too (FakeTimeProvider refuses to go back in time,
/// and stepping back is exactly what id monotonicity must survive). Timers are the system's.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
