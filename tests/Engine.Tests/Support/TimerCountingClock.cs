using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Support;

/// <summary>
/// A fake clock that counts the timers armed on it, so a test can wait for a waiter to arm one
/// (an event) instead of giving it wall-clock time to do so.
/// </summary>
internal sealed class TimerCountingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly List<(long After, TaskCompletionSource Armed)> _watchers = [];
    private long _timers;

    /// <summary>Timers armed so far.</summary>
    public long TimersArmed => Interlocked.Read(ref _timers);

    /// <summary>Completes once more than <paramref name="count"/> timers have been armed.</summary>
    public Task ArmedBeyondAsync(long count)
    {
        lock (_lock)
        {
            if (_timers > count) return Task.CompletedTask;
            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, armed));
            return armed.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _timers++;
            foreach (var watcher in _watchers.Where(w => _timers > w.After)) watcher.Armed.TrySetResult();
            _watchers.RemoveAll(w => w.Armed.Task.IsCompleted);
        }
        return timer;
    }
}
