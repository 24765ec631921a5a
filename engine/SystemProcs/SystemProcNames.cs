using Engine.Ids;
using Engine.Topics;

namespace Engine.SystemProcs;

/// <summary>The rules every system proc follows, inline or DLL.</summary>
internal static class SystemProcNames
{
    /// <summary>One proc per <c>From</c> topic: named <c>"&lt;name&gt;__&lt;topic&gt;"</c> when there are several, else the system proc's name.</summary>
    public static IReadOnlyList<(string Topic, string ProcName)> ProcsOf(SystemProcOptions options) =>
        [.. options.From.Select(topic => (topic, options.From.Count > 1 ? $"{options.Name}__{topic}" : options.Name))];

    /// <summary>The proc options of one of a system proc's procs.</summary>
    public static ProcOptions ProcOptions(SystemProcOptions options, string procName) => new()
    {
        Name = procName,
        Offset = options.Offset,
        Count = options.Count,
        MaxReclaims = options.MaxReclaims,
        ReclaimTimeout = options.ReclaimTimeout,
        OnMaxReclaimsReached = options.OnMaxReclaimsReached,
        DeadLetterTopic = options.DeadLetterTopic,
    };

    /// <summary>Checks names, topics and options; a processor is checked by whoever runs it.</summary>
    public static void Validate(SystemProcOptions? options)
    {
        if (options is null) throw new LogEngineException(LogEngineError.InvalidArgument, "system proc options are null");
        Names.Validate(options.Name, "system proc");
        if (options.From is null || options.From.Count == 0) throw new LogEngineException(LogEngineError.InvalidArgument, "a system proc needs at least one From topic");
        if (options.To is null) throw new LogEngineException(LogEngineError.InvalidArgument, "To is null (use an empty list for no output)");
        if (options.From.Distinct(StringComparer.Ordinal).Count() != options.From.Count)
            throw new LogEngineException(LogEngineError.InvalidArgument, "a From topic is listed twice");
        foreach (var topic in options.From) Names.Validate(topic, "topic");
        foreach (var topic in options.To) Names.Validate(topic, "topic");
        foreach (var (topic, procName) in ProcsOf(options))
        {
            Names.Validate(procName, "proc");
            Procs.ProcService.ValidateDeadLetterTopic(topic, ProcOptions(options, procName));
        }
        if (options.Offset is not (">" or "$>") && RangeBound.Parse(options.Offset, "offset").Kind == BoundKind.Open)
            throw new LogEngineException(LogEngineError.InvalidRangeOffset, "offset is empty: use \">\", \"$>\" or a range bound");
        if (options.Count < 1) throw new LogEngineException(LogEngineError.InvalidArgument, $"count {options.Count}: claim at least one record");
        if (options.MaxReclaims < -1) throw new LogEngineException(LogEngineError.InvalidArgument, $"maxReclaims {options.MaxReclaims}: use -1 for no limit");
        if (options.ReclaimTimeout <= TimeSpan.Zero) throw new LogEngineException(LogEngineError.InvalidArgument, "the reclaim timeout must be positive");
    }
}
