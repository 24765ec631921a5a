using System.Diagnostics;

namespace Engine.Tests.Telemetry;

/// <summary>
/// Samples every span of the engine's ActivitySource and keeps those that stopped. A span may stop
/// just after the call a test awaits returns (a system proc's span ends after its ack), so tests
/// wait for the span they expect rather than read the list at once.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Activity> _stopped = [];
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Found)> _waiters = [];
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> All
    {
        get
        {
            lock (_lock) return [.. _stopped];
        }
    }

    /// <summary>The first stopped span that matches, once there is one (bounded by a guard).</summary>
    public Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        lock (_lock)
        {
            if (_stopped.FirstOrDefault(match) is { } found) return Task.FromResult(found);
            var waiter = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>A root activity of the test's own, so its spans can be told from those of tests running beside it.</summary>
    public static Activity StartRoot() => new Activity("test-root").SetIdFormat(ActivityIdFormat.W3C).Start();

    private void Stopped(Activity activity)
    {
        lock (_lock)
        {
            _stopped.Add(activity);
            foreach (var waiter in _waiters.Where(w => w.Match(activity)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(activity);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
