using Engine;
using Engine.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the engine's health check: <c>services.AddHealthChecks().AddLogEngine(o => o.Procs.Add("orders"))</c>.</summary>
public static class EngineHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the registered <see cref="ILogClient"/>: store open and writable, workers up, system
    /// procs not disabled, and each of <see cref="LogEngineHealthCheckOptions.Procs"/> active and
    /// within <see cref="LogEngineHealthCheckOptions.MaxLag"/>.
    /// </summary>
    public static IHealthChecksBuilder AddLogEngine(this IHealthChecksBuilder builder, Action<LogEngineHealthCheckOptions>? configure = null,
        string name = "engine", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LogEngineHealthCheckOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(name, sp => new LogEngineHealthCheck(sp.GetRequiredService<ILogClient>(), options), failureStatus, tags, timeout));
    }
}
