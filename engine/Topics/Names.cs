using System.Text;

namespace Engine.Topics;

/// <summary>The rule for topic and proc names: 1 to 255 UTF-8 bytes, no control characters.</summary>
internal static class Names
{
    public const int MaxBytes = 255;

    /// <summary>Throws <see cref="LogEngineError.InvalidArgument"/> unless <paramref name="name"/> is a valid name.</summary>
    public static void Validate(string? name, string what)
    {
        if (!IsValid(name, out var reason))
            throw new LogEngineException(LogEngineError.InvalidArgument, $"invalid {what} name: {reason}");
    }

    public static bool IsValid(string? name, out string reason)
    {
        if (string.IsNullOrEmpty(name)) { reason = "it is empty"; return false; }
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsControl(rune)) { reason = $"it contains the control character U+{rune.Value:X4}"; return false; }
        }
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            reason = "it is not valid Unicode (a lone surrogate)";
            return false;
        }
        if (bytes > MaxBytes) { reason = $"it is {bytes} UTF-8 bytes, more than {MaxBytes}"; return false; }
        reason = "";
        return true;
    }

    /// <summary>Whether stored name bytes decode to a valid name (checked before a frame is applied).</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes) =>
        bytes.Length is > 0 and <= MaxBytes && System.Text.Unicode.Utf8.IsValid(bytes) && IsValid(StrictUtf8.GetString(bytes), out _);

    /// <summary>UTF-8 that throws on lone surrogates instead of writing replacement characters.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
