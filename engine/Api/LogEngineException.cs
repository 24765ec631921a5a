namespace Engine;

/// <summary>The one exception type of the public API: <see cref="Code"/> says what went wrong.</summary>
public sealed class LogEngineException : Exception
{
    /// <summary>Creates an exception with a code and a message.</summary>
    public LogEngineException(LogEngineError code, string message)
        : base(message) => Code = code;

    /// <summary>Creates an exception with a code, a message and the failure that caused it.</summary>
    public LogEngineException(LogEngineError code, string message, Exception? innerException)
        : base(message, innerException) => Code = code;

    /// <summary>What went wrong.</summary>
    public LogEngineError Code { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {base.ToString()}";
}
