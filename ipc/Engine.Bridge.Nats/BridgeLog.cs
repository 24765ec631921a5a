using Microsoft.Extensions.Logging;

namespace Engine.Bridge.Nats;

/// <summary>The bridge's log lines, source-generated, with event ids 5000-5099 (5010s: faults).</summary>
internal static partial class BridgeLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "nats import of {Topic}: a delivery was lost or reordered; the consumer restarts after stream sequence {Committed}")]
    public static partial void LogGap(this ILogger logger, string topic, ulong committed);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "nats import of {Topic}: an ack was lost after the commit; the redelivery will be skipped")]
    public static partial void LogAckLost(this ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "nats bridge started: {Exports} export(s), {Imports} import(s), server {Url}")]
    public static partial void LogStarted(this ILogger logger, int exports, int imports, string url);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "created JetStream stream {Stream} for subjects {Subjects}")]
    public static partial void LogStreamCreated(this ILogger logger, string stream, string subjects);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "nats {Direction} of {Topic}: {Message}; retrying in {RetryIn}")]
    public static partial void LogFault(this ILogger logger, string direction, string topic, string message, TimeSpan retryIn);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "nats {Direction} of {Topic}: the failure in full")]
    public static partial void LogFaultInFull(this ILogger logger, Exception exception, string direction, string topic);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "the bridge's fault callback threw")]
    public static partial void LogFaultCallbackThrew(this ILogger logger, Exception exception);
}
