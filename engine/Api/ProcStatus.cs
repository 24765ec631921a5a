namespace Engine;

/// <summary>Whether a proc hands out records.</summary>
public enum ProcStatus
{
    /// <summary>The proc claims records.</summary>
    Active,
    /// <summary>The proc refuses claims, acks and reclaims until resumed.</summary>
    Disabled,
}
