using Engine;
using Engine.Hosting;
using Engine.Ipc;
using Engine.Ipc.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the container's namespace, as Microsoft's own Add* methods are: `services.AddLogEngine(...)`
// is found without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Engine in an app's services. Each method registers one <see cref="ILogClient"/>
/// singleton, opened when the app starts and closed cleanly when it stops, and returns the
/// options builder so options can also come from configuration:
/// <c>services.AddLogEngine("data").BindConfiguration("Engine")</c>. Options are validated at
/// start; a bad one stops the start with a message that names it.
/// </summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>An in-process engine over the store at <paramref name="path"/>, as <see cref="ILogClient"/> and <see cref="LogEngine"/>.</summary>
    public static OptionsBuilder<LogEngineServiceOptions> AddLogEngine(this IServiceCollection services, string path, Action<LogEngineServiceOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return services.AddLogEngine(o =>
        {
            o.Path = path;
            configure?.Invoke(o);
        });
    }

    /// <summary>An in-process engine whose options (the store's <see cref="LogEngineServiceOptions.Path"/> among them) come from <paramref name="configure"/> or configuration.</summary>
    public static OptionsBuilder<LogEngineServiceOptions> AddLogEngine(this IServiceCollection services, Action<LogEngineServiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LogEngineServiceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LogEngineServiceOptions>, EngineOptionsValidator<LogEngineServiceOptions>>());
        services.TryAddSingleton<EngineLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineLifetime>());
        services.TryAddSingleton(sp => sp.GetRequiredService<EngineLifetime>().Resource);
        services.AddSingleton<ILogClient>(sp => sp.GetRequiredService<LogEngine>());
        return options;
    }

    /// <summary>A client of a host in another process (<c>engine serve</c>, or an app with <see cref="AddLogEngineHost"/>), as <see cref="ILogClient"/> and <see cref="LogClient"/>.</summary>
    public static OptionsBuilder<LogClientServiceOptions> AddLogClient(this IServiceCollection services, Action<LogClientServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LogClientServiceOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LogClientServiceOptions>, ClientOptionsValidator>());
        services.TryAddSingleton<ClientLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<ClientLifetime>());
        services.TryAddSingleton(sp => sp.GetRequiredService<ClientLifetime>().Resource);
        services.AddSingleton<ILogClient>(sp => sp.GetRequiredService<LogClient>());
        return options;
    }

    /// <summary>
    /// The engine, its workers and a server for other processes, run inside this app: the app
    /// uses the engine in-process (<see cref="ILogClient"/>, <see cref="LogEngine"/>) while other
    /// processes connect to it (<see cref="EngineHost.Address"/>).
    /// </summary>
    public static OptionsBuilder<LogEngineHostServiceOptions> AddLogEngineHost(this IServiceCollection services, Action<LogEngineHostServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LogEngineHostServiceOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LogEngineHostServiceOptions>, EngineOptionsValidator<LogEngineHostServiceOptions>>());
        services.TryAddSingleton<HostLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<HostLifetime>());
        services.TryAddSingleton(sp => sp.GetRequiredService<HostLifetime>().Resource);
        services.TryAddSingleton(sp => sp.GetRequiredService<EngineHost>().Engine);
        services.AddSingleton<ILogClient>(sp => sp.GetRequiredService<LogEngine>());
        return options;
    }
}
