using Microsoft.Extensions.Options;

namespace Engine.Hosting;

/// <summary>Checks a client's options when the app starts, naming each bad option and its value.</summary>
internal sealed class ClientOptionsValidator : IValidateOptions<LogClientServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, LogClientServiceOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"Engine client options: Timeout must be positive, not {options.Timeout}");
        if (options.Heartbeat <= TimeSpan.Zero)
            failures.Add($"Engine client options: Heartbeat must be positive, not {options.Heartbeat}");
        if ((options.TlsCertificateFile is null) != (options.TlsKeyFile is null))
            failures.Add("Engine client options: TlsCertificateFile and TlsKeyFile go together (PEM certificate and its key)");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
