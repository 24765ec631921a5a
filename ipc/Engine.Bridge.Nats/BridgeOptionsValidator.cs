namespace Engine.Bridge.Nats;

/// <summary>Refuses options the bridge could only fail on later, with a message naming the culprit.</summary>
internal static class BridgeOptionsValidator
{
    public static void Validate(NatsBridgeOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Url)) throw BridgeSpecs.Invalid("the NATS url is empty");
        if (string.IsNullOrEmpty(options.Namespace) || options.Namespace.Any(char.IsControl))
            throw BridgeSpecs.Invalid($"namespace '{options.Namespace}' must be non-empty, without control characters");
        if (options.BatchSize < 1) throw BridgeSpecs.Invalid($"batch size {options.BatchSize} must be at least 1");
        if (options.MaxInFlight < 1) throw BridgeSpecs.Invalid($"max in-flight {options.MaxInFlight} must be at least 1");
        if (options.RetryMin <= TimeSpan.Zero || options.RetryMax < options.RetryMin)
            throw BridgeSpecs.Invalid("retry waits must be positive, the maximum at least the minimum");
        if (options.PublishTimeout <= TimeSpan.Zero) throw BridgeSpecs.Invalid("the publish timeout must be positive");
        if (options.Exports.Count + options.Imports.Count == 0) throw BridgeSpecs.Invalid("nothing to bridge: give at least one export or import");
        foreach (var export in options.Exports) BridgeSpecs.RequireSubject(export.Subject, literal: true, $"export of '{export.Topic}'");
        foreach (var import in options.Imports)
        {
            BridgeSpecs.RequireName(import.Stream, $"import into '{import.Topic}': stream name");
            if (import.Durable is { } durable) BridgeSpecs.RequireName(durable, $"import into '{import.Topic}': durable name");
        }
        if (options.ExportStream is { } stream) BridgeSpecs.RequireName(stream, "export stream name");
        Distinct(options.Exports.Select(e => e.ProcName), "export proc");
        Distinct(options.Imports.Select(i => i.Topic), "import topic"); // two imports into one topic would share a state topic
    }

    private static void Distinct(IEnumerable<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (!seen.Add(name)) throw BridgeSpecs.Invalid($"{what} '{name}' appears twice");
    }
}
