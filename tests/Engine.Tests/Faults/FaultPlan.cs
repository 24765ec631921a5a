namespace Engine.Tests.Faults;

/// <summary>
/// What happens at the <see cref="Nth"/> storage operation (counting from 1) of kind
/// <see cref="Op"/> (any kind when null): it fails once with <see cref="Errno"/>, or, with a
/// <see cref="Crash"/> mode, the machine "crashes" just before it: the disk a reboot would find
/// is kept in <see cref="CrashImage"/>, and the run goes on only to be thrown away.
/// </summary>
internal sealed class FaultPlan
{
    public const int Eio = 5;
    public const int Enospc = 28;

    private readonly int[] _counts = new int[Enum.GetValues<StorageOp>().Length];
    private int _any;
    private int _fired;

    private FaultPlan(StorageOp? op, int nth, int errno, CrashMode? crash)
    {
        Op = op;
        Nth = nth;
        Errno = errno;
        Crash = crash;
    }

    public static FaultPlan Fail(StorageOp op, int nth, int errno) => new(op, nth, errno, null);

    public static FaultPlan CrashBefore(int nth, CrashMode mode) => new(null, nth, 0, mode);

    /// <summary>Counts every operation, fails none: how many Ns a loop has to try.</summary>
    public static FaultPlan CountOnly() => new(null, 0, 0, null);

    public StorageOp? Op { get; }

    public int Nth { get; }

    public int Errno { get; }

    public CrashMode? Crash { get; }

    /// <summary>The operation it fired at, for the report.</summary>
    public string? FiredAt { get; private set; }

    public bool Fired => Volatile.Read(ref _fired) != 0;

    /// <summary>The disk after the crash, once it happened.</summary>
    public SimulatedDisk? CrashImage { get; set; }

    /// <summary>Raised on the thread that met the crash point, before the operation runs and before the disk is imaged.</summary>
    public event Action? Crashed;

    public int Count(StorageOp op) => Volatile.Read(ref _counts[(int)op]);

    public int CountAll => Volatile.Read(ref _any);

    /// <summary>Counts one operation; true when it is the one this plan is about.</summary>
    public bool Hits(StorageOp op, string what)
    {
        var ofKind = Interlocked.Increment(ref _counts[(int)op]);
        var any = Interlocked.Increment(ref _any);
        var n = Op is null ? any : op == Op ? ofKind : -1;
        if (n != Nth || Interlocked.Exchange(ref _fired, 1) != 0) return false;
        FiredAt = what;
        return true;
    }

    public void RaiseCrashed() => Crashed?.Invoke();

    public override string ToString() =>
        Crash is { } mode ? $"crash ({mode}) before operation #{Nth}" : $"{Op} #{Nth} {(Errno == Enospc ? "ENOSPC" : "EIO")}";
}
