namespace Engine.Procs;

/// <summary>The proc errors of the API, worded once.</summary>
internal static class ProcErrors
{
    public static LogEngineException NotFound(string name) =>
        new(LogEngineError.ProcNotFound, $"there is no proc '{name}'");

    public static LogEngineException Disabled(string name, string why = "it was disabled") =>
        new(LogEngineError.ProcIsDisabled, $"proc '{name}' is disabled ({why}); resume it first");

    public static LogEngineException NothingToAck(string name, string why = "it has no open claim") =>
        new(LogEngineError.NothingToAck, $"proc '{name}' has nothing to ack: {why}");

    public static LogEngineException NothingToReclaim(string name, string why = "it has no open claim") =>
        new(LogEngineError.NothingToReclaim, $"proc '{name}' has nothing to reclaim: {why}");

    public static LogEngineException NotUnique(string name, string topic, string other) =>
        new(LogEngineError.ProcNameNotUnique, $"proc '{name}' belongs to topic '{other}', not '{topic}'");

    public static LogEngineException AlreadyActive(string name) =>
        new(LogEngineError.ProcAlreadyActive, $"proc '{name}' is already active");
}
