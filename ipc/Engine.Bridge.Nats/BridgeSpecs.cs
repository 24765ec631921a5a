namespace Engine.Bridge.Nats;

/// <summary>
/// The command line's spellings of exports and imports: <c>TOPIC</c> or <c>TOPIC=SUBJECT</c>, and
/// <c>STREAM:SUBJECT=TOPIC</c>. Anything else is <see cref="LogEngineError.InvalidArgument"/>.
/// </summary>
public static class BridgeSpecs
{
    /// <summary><c>TOPIC</c> (the subject is the topic's name) or <c>TOPIC=SUBJECT</c>.</summary>
    public static NatsExport ParseExport(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var equals = spec.LastIndexOf('=');
        var topic = equals < 0 ? spec : spec[..equals];
        var subject = equals < 0 ? spec : spec[(equals + 1)..];
        if (topic.Length == 0) throw Invalid($"export '{spec}' names no topic");
        RequireSubject(subject, literal: true, $"export '{spec}'" + (equals < 0 ? ": the topic is not a valid subject, give one as TOPIC=SUBJECT" : ""));
        return new NatsExport(topic, subject);
    }

    /// <summary><c>STREAM:SUBJECT=TOPIC</c>.</summary>
    public static NatsImport ParseImport(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var equals = colon < 0 ? -1 : spec.IndexOf('=', colon + 1);
        if (colon <= 0 || equals < 0 || equals == spec.Length - 1)
            throw Invalid($"import '{spec}' is not STREAM:SUBJECT=TOPIC");
        var stream = spec[..colon];
        var subject = spec[(colon + 1)..equals];
        var topic = spec[(equals + 1)..];
        RequireName(stream, $"import '{spec}': stream name");
        RequireSubject(subject, literal: false, $"import '{spec}'");
        return new NatsImport(stream, subject, topic);
    }

    /// <summary>A NATS subject: dot-separated non-empty tokens, no whitespace; wildcards only when not literal.</summary>
    internal static void RequireSubject(string subject, bool literal, string what)
    {
        var tokens = subject.Split('.');
        foreach (var token in tokens)
        {
            var bad = token.Length == 0 || token.Any(char.IsWhiteSpace)
                || (literal && (token.Contains('*', StringComparison.Ordinal) || token.Contains('>', StringComparison.Ordinal)));
            if (bad) throw Invalid($"{what}: '{subject}' is not a valid NATS subject");
        }
    }

    /// <summary>A stream or consumer name: no whitespace, dots, wildcards or path separators.</summary>
    internal static void RequireName(string name, string what)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '.' or '*' or '>' or '/' or '\\'))
            throw Invalid($"{what} '{name}' is not a valid JetStream name");
    }

    /// <summary>Turns any text into a legal JetStream name (durables are derived from topic names).</summary>
    internal static string ToName(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    internal static LogEngineException Invalid(string message) => new(LogEngineError.InvalidArgument, message);
}
