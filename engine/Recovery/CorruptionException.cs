namespace Engine.Recovery;

/// <summary>Builds the <see cref="LogEngineError.Corrupted"/> error that names a file and a byte offset.</summary>
internal static class Corruption
{
    public static LogEngineException At(string file, long offset, string what) =>
        new(LogEngineError.Corrupted, $"{file} at byte {offset}: {what}");
}
