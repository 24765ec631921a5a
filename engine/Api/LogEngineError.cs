namespace Engine;

/// <summary>What went wrong, as carried by <see cref="LogEngineException.Code"/>; the same codes cross the wire.</summary>
public enum LogEngineError
{
    /// <summary>The topic has never been committed to.</summary>
    InvalidTopic,
    /// <summary>A range bound or proc offset is not one of the accepted forms.</summary>
    InvalidRangeOffset,
    /// <summary>A <c>":seq"</c> bound names no kept record.</summary>
    SequenceNotFound,
    /// <summary>No proc has that name.</summary>
    ProcNotFound,
    /// <summary>The proc name is already used on another topic.</summary>
    ProcNameNotUnique,
    /// <summary>The proc is disabled.</summary>
    ProcIsDisabled,
    /// <summary>Resume was asked of an active proc.</summary>
    ProcAlreadyActive,
    /// <summary>The proc has no open claim to give back.</summary>
    NothingToReclaim,
    /// <summary>A system proc names neither a processor DLL nor an inline processor (or names one that cannot be loaded).</summary>
    NoValidProcessor,
    /// <summary>The proc has no open claim to acknowledge.</summary>
    NothingToAck,
    /// <summary>A name, body, option or list is malformed; nothing was written.</summary>
    InvalidArgument,
    /// <summary>Another live engine holds the store directory.</summary>
    Locked,
    /// <summary>The engine or client has been closed.</summary>
    Closed,
    /// <summary>Stored bytes failed their checks; the message names the file and offset.</summary>
    Corrupted,
    /// <summary>The host could not be reached, or the connection was lost.</summary>
    ConnectionFailed,
    /// <summary>An operation did not finish in the time allowed.</summary>
    Timeout,
    /// <summary>The host refused the connection's token.</summary>
    Unauthorized,
    /// <summary>A fault inside the engine (a bug); the message says what.</summary>
    Internal,
    /// <summary>
    /// The device has no room: nothing of the failed call was written, everything acknowledged
    /// before is intact, reads go on, and writes work again once space is freed.
    /// </summary>
    DiskFull,
    /// <summary>
    /// A write or fsync failed in a way the engine cannot repair in place: the store refuses
    /// writes until it is reopened (which recovers from what is on disk); reads of acknowledged
    /// data go on.
    /// </summary>
    StoreFailed,
}
