using Microsoft.Extensions.Logging;

namespace Engine.Host;

/// <summary>The <c>engine serve</c> command's log lines, source-generated, with event ids 4000-4099.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Serving {Store} at {Address}")]
    public static partial void Serving(this ILogger logger, string store, string address);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Shutting down")]
    public static partial void ShuttingDown(this ILogger logger);
}
