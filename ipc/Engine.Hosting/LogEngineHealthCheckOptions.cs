namespace Engine.Hosting;

/// <summary>What the engine's health check watches beyond the store and the workers.</summary>
public sealed class LogEngineHealthCheckOptions
{
    /// <summary>Procs that must be active and not too far behind (system procs are always checked for being disabled).</summary>
    public IList<string> Procs { get; } = [];

    /// <summary>The most records a watched proc may have unacked before the check fails.</summary>
    public long MaxLag { get; set; } = 10_000;
}
