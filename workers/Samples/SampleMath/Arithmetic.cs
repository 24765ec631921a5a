namespace SampleMath;

/// <summary>The arithmetic the Increment processor delegates to.</summary>
public static class Arithmetic
{
    public static long Next(long value) => checked(value + 1);
}
