namespace Engine;

/// <summary>When a commit's bytes are forced to stable storage.</summary>
public enum Durability
{
    /// <summary>Never fsync'd by the engine: the OS page cache only. Survives a process crash, not a power loss.</summary>
    None,
    /// <summary>Group commit: fsync'd at most every <see cref="LogEngineOptions.FlushInterval"/>.</summary>
    Batched,
    /// <summary>A commit returns only after its bytes are fsync'd (concurrent commits share one fsync).</summary>
    Always,
}
