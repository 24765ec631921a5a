using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engine.Hosting;

/// <summary>The in-process engine of <c>AddLogEngine</c>.</summary>
internal sealed class EngineLifetime(IOptions<LogEngineServiceOptions> options, ILoggerFactory? loggers = null)
    : ServiceLifetime<LogEngine>
{
    protected override ValueTask<LogEngine> OpenAsync(CancellationToken ct)
    {
        var o = options.Value; // validated here at the latest: a bad option throws OptionsValidationException
        var engineOptions = o.ToEngineOptions(loggers);
        return ValueTask.FromResult(o.InMemory ? LogEngine.OpenInMemory(engineOptions) : LogEngine.Open(o.Path!, engineOptions));
    }
}
