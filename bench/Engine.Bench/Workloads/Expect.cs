namespace Engine.Bench.Workloads;

/// <summary>The checks a workload makes on what it did: counts only, never speeds.</summary>
internal static class Expect
{
    public static void Count(string what, long expected, long actual)
    {
        if (expected != actual) throw new BenchCheckException($"{what}: expected {expected:N0}, got {actual:N0}");
    }

    public static void True(bool condition, string what)
    {
        if (!condition) throw new BenchCheckException(what);
    }
}
