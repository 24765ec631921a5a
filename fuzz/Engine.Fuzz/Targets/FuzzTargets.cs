namespace Engine.Fuzz.Targets;

/// <summary>Runs a decoder over one input; an exception that escapes is a finding.</summary>
internal delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The targets by the name given on the command line.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["frame"] = FrameTarget.Run,
        ["record"] = RecordTarget.Run,
        ["index"] = IndexTarget.Run,
        ["checkpoint"] = CheckpointTarget.Run,
        ["segment-header"] = SegmentHeaderTarget.Run,
        ["ipc-frame"] = IpcFrameTarget.Run,
        ["ipc-message"] = IpcMessageTarget.Run,
    };
}
