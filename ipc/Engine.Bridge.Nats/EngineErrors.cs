namespace Engine.Bridge.Nats;

/// <summary>Which engine errors the bridge waits out, and which mean it cannot go on.</summary>
internal static class EngineErrors
{
    /// <summary>
    /// Closed (the engine is gone), InvalidArgument and ProcNameNotUnique (a misconfiguration)
    /// stop the bridge; anything else (a full disk, a host restarting, a disabled proc) may pass.
    /// </summary>
    public static bool IsRetryable(LogEngineException e) =>
        e.Code is not (LogEngineError.Closed or LogEngineError.InvalidArgument or LogEngineError.ProcNameNotUnique or LogEngineError.Internal);
}
