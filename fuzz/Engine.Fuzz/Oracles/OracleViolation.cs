namespace Engine.Fuzz.Oracles;

/// <summary>
/// Thrown by a target when a decoder gave a verdict an independent check contradicts. It escapes
/// the target on purpose: an escaping exception is how the fuzzer learns of a bug.
/// </summary>
internal sealed class OracleViolation : Exception
{
    public OracleViolation(string message) : base(message)
    {
    }

    public static void Require(bool condition, string message)
    {
        if (!condition) throw new OracleViolation(message);
    }
}
