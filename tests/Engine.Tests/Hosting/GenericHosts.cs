using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engine.Tests.Hosting;

/// <summary>A real Generic Host, without the defaults that read files, environment and console.</summary>
internal static class GenericHosts
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static IHost Build(Action<IServiceCollection> services, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (configuration is not null) builder.Configuration.AddInMemoryCollection(configuration);
        services(builder.Services);
        return builder.Build();
    }
}
