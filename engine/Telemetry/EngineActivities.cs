using System.Diagnostics;

namespace Engine.Telemetry;

/// <summary>
/// The engine's spans. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// at the cost of one check when no listener samples them, so call sites stay as they were.
/// Attribute names follow the OpenTelemetry messaging conventions
/// (<c>messaging.destination.name</c> = the topic, <c>messaging.consumer.group.name</c> = the proc).
/// </summary>
internal static class EngineActivities
{
    public static readonly ActivitySource Source = new(EngineTelemetry.ActivitySourceName, typeof(EngineActivities).Assembly.GetName().Version?.ToString());

    public const string System = "messaging.system";
    public const string Destination = "messaging.destination.name";
    public const string ConsumerGroup = "messaging.consumer.group.name";
    public const string BatchCount = "messaging.batch.message_count";

    /// <summary>A span for a proc call (claim, ack, reclaim) on <paramref name="proc"/>, or null when nobody listens.</summary>
    public static Activity? StartProc(string operation, string proc, string? topic = null)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity($"{operation} {proc}", ActivityKind.Consumer);
        if (activity is null) return null;
        activity.SetTag(System, "engine");
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag(ConsumerGroup, proc);
        if (topic is not null) activity.SetTag(Destination, topic);
        return activity;
    }

    /// <summary>A span for a commit to <paramref name="topic"/> (null = several topics), or null when nobody listens.</summary>
    public static Activity? StartCommit(string? topic, int records)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(topic is null ? "send" : $"send {topic}", ActivityKind.Producer);
        if (activity is null) return null;
        activity.SetTag(System, "engine");
        activity.SetTag("messaging.operation.name", "send");
        if (topic is not null) activity.SetTag(Destination, topic);
        activity.SetTag(BatchCount, records);
        return activity;
    }

    /// <summary>
    /// A span for one batch of system proc <paramref name="systemProc"/> (its proc <paramref name="proc"/>
    /// reading <paramref name="topic"/>): the claim, the processor's run (in a worker process, or
    /// inline) and the ack-commit happen under it, so a record's trip through the system proc is
    /// one trace. Null when nobody listens.
    /// </summary>
    public static Activity? StartProcess(string proc, string topic, string systemProc)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity($"process {proc}", ActivityKind.Consumer);
        if (activity is null) return null;
        activity.SetTag(System, "engine");
        activity.SetTag("messaging.operation.name", "process");
        activity.SetTag(ConsumerGroup, proc);
        activity.SetTag(Destination, topic);
        activity.SetTag(EngineMetrics.SystemProcTag, systemProc);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorType"/> and <paramref name="message"/>, without ending it.</summary>
    public static void MarkFailed(Activity? activity, string errorType, string? message)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.SetTag("error.type", errorType);
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="error"/> and ends it.</summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag("error.type", error is LogEngineException e ? e.Code.ToString() : error.GetType().FullName);
        activity.Dispose();
    }
}
