namespace Engine.Tests.Faults;

/// <summary>What a crash does to the writes that were never synced.</summary>
public enum CrashMode
{
    /// <summary>A process crash: the page cache survives, so every write does.</summary>
    KeepAll,

    /// <summary>A power cut after which only synced bytes and names remain.</summary>
    DropUnsynced,

    /// <summary>A power cut mid write-back: any subset of the unsynced pages and names remains.</summary>
    RandomPages,

    /// <summary>Every unsynced page but the last made it, and that one only in part.</summary>
    TornLastPage,
}
