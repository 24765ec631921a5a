namespace Engine.State;

/// <summary>
/// A frame that passed its checksums says something impossible for the state it is applied to
/// (a record of an unknown topic, a gap in seqs). Recovery turns it into
/// <see cref="LogEngineError.Corrupted"/> naming the frame; on the live path it is a bug.
/// </summary>
internal sealed class LogInconsistencyException(string message) : Exception(message);
