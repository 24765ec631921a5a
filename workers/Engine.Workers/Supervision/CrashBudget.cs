namespace Engine.Workers.Supervision;

/// <summary>
/// How many workers a system proc may kill within a window before it is disabled: a processor
/// that crashes its worker on every batch would otherwise take the workers down forever.
/// </summary>
internal sealed class CrashBudget(int allowed, TimeSpan window)
{
    private readonly Queue<long> _crashes = new();
    private readonly Lock _lock = new();

    public static CrashBudget Default() => new(3, TimeSpan.FromMinutes(1));

    public int Total { get; private set; }

    /// <summary>Records a crash; true when the budget is spent.</summary>
    public bool Spend()
    {
        lock (_lock)
        {
            Total++;
            var now = Environment.TickCount64;
            _crashes.Enqueue(now);
            while (_crashes.Count > 0 && now - _crashes.Peek() > window.TotalMilliseconds) _crashes.Dequeue();
            return _crashes.Count >= allowed;
        }
    }
}
