namespace Engine;

/// <summary>What a proc does once it has been reclaimed <c>MaxReclaims</c> times without an ack.</summary>
public enum OnMaxReclaims
{
    /// <summary>The proc is disabled until resumed.</summary>
    Disable,
    /// <summary>The proc keeps going.</summary>
    Continue,
}
