namespace Engine.Tests.Faults;

/// <summary>The kinds of storage operation a <see cref="FaultPlan"/> can make fail.</summary>
public enum StorageOp
{
    /// <summary>Creating a file (a segment's temp file, a new index chunk, a checkpoint's temp file).</summary>
    Create,

    /// <summary>Writing through a file descriptor (a segment header, a checkpoint, zeroing a torn tail).</summary>
    Write,

    /// <summary>Reserving disk blocks (fallocate) ahead of writes through a mapping.</summary>
    Reserve,

    /// <summary>An fsync of a file or a directory.</summary>
    Flush,

    /// <summary>Renaming a file (a segment or checkpoint into place, a segment retired).</summary>
    Rename,

    /// <summary>Deleting a file.</summary>
    Delete,
}
