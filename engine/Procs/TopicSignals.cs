using System.Collections.Concurrent;

namespace Engine.Procs;

/// <summary>
/// Wakes whoever waits on a topic (live procs, WaitForProcsAsync) straight from the commit path:
/// a waiter takes <see cref="Next"/> before it looks at the state, and the writer pulses the
/// topics a frame touched after applying it, so no change between the look and the wait is
/// missed and nothing polls. A topic nobody waits on costs the writer one dictionary lookup.
/// </summary>
internal sealed class TopicSignals
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);

    /// <summary>Completes at the next pulse of <paramref name="topic"/>.</summary>
    public Task Next(string topic) => _signals.GetOrAdd(topic, static _ => new Signal()).Next();

    public void Pulse(string topic)
    {
        // TryGetValue is lock-free (IsEmpty, by contrast, takes every lock of the dictionary).
        if (_signals.TryGetValue(topic, out var signal)) signal.Pulse();
    }

    /// <summary>Completes every waiter (closing).</summary>
    public void PulseAll()
    {
        foreach (var signal in _signals.Values) signal.Pulse();
    }

    private sealed class Signal
    {
        private TaskCompletionSource? _waiters;

        public Task Next()
        {
            while (true)
            {
                var current = Volatile.Read(ref _waiters);
                if (current is not null) return current.Task;
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Interlocked.CompareExchange(ref _waiters, created, null) is null) return created.Task;
            }
        }

        public void Pulse()
        {
            if (Volatile.Read(ref _waiters) is null) return;
            Interlocked.Exchange(ref _waiters, null)?.TrySetResult();
        }
    }
}
