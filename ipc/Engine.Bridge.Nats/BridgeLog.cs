using Microsoft.Extensions.Logging;

namespace Engine.Bridge.Nats;

/// <summary>The bridge's log lines that are not faults.</summary>
internal static partial class BridgeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "nats import of {Topic}: a delivery was lost or reordered; the consumer restarts after stream sequence {Committed}")]
    public static partial void LogGap(this ILogger logger, string topic, ulong committed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "nats import of {Topic}: an ack was lost after the commit; the redelivery will be skipped")]
    public static partial void LogAckLost(this ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "nats bridge started: {Exports} export(s), {Imports} import(s), server {Url}")]
    public static partial void LogStarted(this ILogger logger, int exports, int imports, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "created JetStream stream {Stream} for subjects {Subjects}")]
    public static partial void LogStreamCreated(this ILogger logger, string stream, string subjects);
}
