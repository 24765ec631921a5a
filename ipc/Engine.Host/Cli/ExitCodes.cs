namespace Engine.Host.Cli;

/// <summary>The exit codes of every verb (README, "The engine command").</summary>
internal static class ExitCodes
{
    /// <summary>Done; for verify: no damage.</summary>
    public const int Ok = 0;

    /// <summary>verify found damage (also: the command line could not be parsed).</summary>
    public const int Damaged = 1;

    /// <summary>The engine refused the request (unknown topic or proc, bad argument, ...); the message says which.</summary>
    public const int Failed = 2;

    /// <summary>The store is held by a running host: ask it with --namespace or --socket.</summary>
    public const int Locked = 3;

    /// <summary>No host answers at that namespace or socket.</summary>
    public const int NoHost = 4;

    public static int Of(LogEngineError code) => code switch
    {
        LogEngineError.Locked => Locked,
        LogEngineError.ConnectionFailed or LogEngineError.Unauthorized or LogEngineError.Timeout => NoHost,
        _ => Failed,
    };
}
