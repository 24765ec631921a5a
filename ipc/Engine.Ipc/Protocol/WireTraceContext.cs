using System.Diagnostics;

namespace Engine.Ipc.Protocol;

/// <summary>
/// The W3C trace context a traced request carries before its op (format-spec.md, section 8.4):
/// <c>traceparent string · tracestate string (null when none)</c>. It links the host's server span
/// to the client's span. Tracing must never break a request, so a traceparent that does not parse
/// is ignored (the server span then starts a trace of its own); only bytes that do not decode as
/// two strings are malformed.
/// </summary>
internal static class WireTraceContext
{
    /// <summary>W3C caps what a tracestate must carry at 512 characters; a longer one is dropped, not forwarded.</summary>
    public const int MaxTraceState = 512;

    /// <summary>Whether <paramref name="span"/>'s id can travel as a traceparent (the W3C id format, .NET's default).</summary>
    public static bool CanCarry(Activity span) => span.IdFormat == ActivityIdFormat.W3C;

    public static void Write(WireWriter writer, Activity span)
    {
        writer.String(span.Id);
        var state = span.TraceStateString;
        writer.String(state is { Length: <= MaxTraceState } ? state : null);
    }

    public static ActivityContext Read(WireReader reader)
    {
        var parent = reader.String();
        var state = reader.NullableString();
        if (state is { Length: > MaxTraceState }) state = null;
        return ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }
}
