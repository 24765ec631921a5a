namespace Engine;

/// <summary>What a proc does once it has been reclaimed <c>MaxReclaims</c> times without an ack.</summary>
public enum OnMaxReclaims
{
    /// <summary>The proc is disabled until resumed.</summary>
    Disable,
    /// <summary>The proc keeps going.</summary>
    Continue,
    /// <summary>
    /// The claim's records move to the proc's dead-letter topic as <c>DeadLetter</c>
    /// JSON records (see Engine.DeadLetter), in the same atomic step that acks the claim; the proc goes on with the next records.
    /// </summary>
    DeadLetter,
}
