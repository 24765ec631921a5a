using Microsoft.Extensions.Options;

namespace Engine.Hosting;

/// <summary>
/// Checks engine options when the app starts (ValidateOnStart), so a bad configuration stops the
/// start with one message naming every bad option and its value, instead of failing later
/// inside the engine with less context.
/// </summary>
internal sealed class EngineOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : LogEngineServiceOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        if (!options.InMemory && string.IsNullOrWhiteSpace(options.Path))
            failures.Add("Engine options: Path is required (the store's directory) unless InMemory is true");
        if (options.SegmentSize < LogEngineOptions.MinSegmentSize)
            failures.Add($"Engine options: SegmentSize must be at least {LogEngineOptions.MinSegmentSize} bytes (1 MiB), not {options.SegmentSize}");
        if (options.Durability == Durability.Batched && options.FlushInterval <= TimeSpan.Zero)
            failures.Add($"Engine options: FlushInterval must be positive with Batched durability, not {options.FlushInterval}");
        if (!Enum.IsDefined(options.Durability))
            failures.Add($"Engine options: Durability must be None, Batched or Always, not {options.Durability}");
        if (options.Workers < 0)
            failures.Add($"Engine options: Workers must be 0 or more, not {options.Workers}");
        if (options.WorkerConcurrency < 1)
            failures.Add($"Engine options: WorkerConcurrency must be 1 or more, not {options.WorkerConcurrency}");
        if (options.WorkerRestartAfter < 0)
            failures.Add($"Engine options: WorkerRestartAfter must be 0 (never) or more, not {options.WorkerRestartAfter}");
        if (options.SpareWorkers < 0)
            failures.Add($"Engine options: SpareWorkers must be 0 (none) or more, not {options.SpareWorkers}");
        if (options.MaxRangeBytes < LogEngineOptions.MinRangeBytes)
            failures.Add($"Engine options: MaxRangeBytes must be at least {LogEngineOptions.MinRangeBytes}, not {options.MaxRangeBytes}");
        if (options.GcMinPruneTime < TimeSpan.Zero)
            failures.Add($"Engine options: GcMinPruneTime must not be negative, not {options.GcMinPruneTime}");
        if (options.GcInterval <= TimeSpan.Zero)
            failures.Add($"Engine options: GcInterval must be positive, not {options.GcInterval}");
        if (options is LogEngineHostServiceOptions host)
        {
            if ((host.TlsCertificateFile is null) != (host.TlsKeyFile is null))
                failures.Add("Engine options: TlsCertificateFile and TlsKeyFile go together (PEM certificate and its key)");
            if (host.IdleTimeout <= TimeSpan.Zero)
                failures.Add($"Engine options: IdleTimeout must be positive, not {host.IdleTimeout}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
