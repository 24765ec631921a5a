namespace Engine.Workers.Loading;

/// <summary>
/// Which processor a system proc runs: <c>"path/to/Lib.dll"</c> for its single processor, or
/// <c>"Lib.dll:Namespace.Type"</c>. Relative paths resolve against the processors directory.
/// </summary>
internal sealed record ProcessorSpec(string Path, string? TypeName)
{
    public static ProcessorSpec Parse(string processor, string? processorsDirectory)
    {
        if (string.IsNullOrWhiteSpace(processor)) throw Invalid(processor, "it is empty");
        var path = processor;
        string? type = null;
        var colon = processor.LastIndexOf(':');
        // "C:\..." is a drive, not a type: a type name follows a ".dll".
        if (colon > 0 && processor[..colon].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            path = processor[..colon];
            type = processor[(colon + 1)..];
            if (type.Length == 0) throw Invalid(processor, "the type name after ':' is empty");
        }
        if (!System.IO.Path.IsPathRooted(path))
            path = System.IO.Path.Combine(processorsDirectory ?? Directory.GetCurrentDirectory(), path);
        return new ProcessorSpec(System.IO.Path.GetFullPath(path), type);
    }

    public override string ToString() => TypeName is null ? Path : $"{Path}:{TypeName}";

    private static LogEngineException Invalid(string processor, string why) =>
        new(LogEngineError.NoValidProcessor, $"processor '{processor}': {why}");
}
